import { useId, type InputHTMLAttributes, type ReactNode } from "react";

export interface FormFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "name"> {
  label: ReactNode;
  name: string;
  /** The API's messages for this field (usually a list). */
  errors?: readonly string[] | string | undefined;
  hint?: ReactNode;
}

/**
 * A labelled input. The API's messages for this field are listed under it and tied to it with
 * aria-describedby, together with the optional hint; aria-invalid marks it while they apply.
 */
export function FormField({ label, name, errors, hint, type = "text", ...inputProps }: FormFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const messages: readonly string[] = Array.isArray(errors) ? errors : errors ? [String(errors)] : [];
  const invalid = messages.length > 0;
  const describedBy = [invalid ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        aria-invalid={invalid ? "true" : undefined}
        aria-describedby={describedBy || undefined}
        {...inputProps}
      />
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {invalid && (
        <ul className="field-errors" id={errorId}>
          {messages.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
