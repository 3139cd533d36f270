import { useId, type InputHTMLAttributes, type ReactNode } from "react";

/** What a field shows under its input: the API's messages (usually a list) and a hint. */
export interface FieldNotes {
  errors?: readonly string[] | string | undefined;
  hint?: ReactNode;
}

/**
 * The ids and ARIA attributes that tie a field's input to its messages and hint, and the
 * messages and hint themselves (`notes`, rendered under the input).
 */
export function useFieldNotes({ errors, hint }: FieldNotes) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const messages: readonly string[] = Array.isArray(errors) ? errors : errors ? [String(errors)] : [];
  const invalid = messages.length > 0;
  const describedBy = [invalid ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ");
  const notes = (
    <>
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
    </>
  );
  return {
    id,
    aria: { "aria-invalid": invalid ? ("true" as const) : undefined, "aria-describedby": describedBy || undefined },
    notes,
  };
}

export interface FormFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "name">, FieldNotes {
  label: ReactNode;
  name: string;
}

/**
 * A labelled input. The API's messages for this field are listed under it and tied to it with
 * aria-describedby, together with the optional hint; aria-invalid marks it while they apply.
 */
export function FormField({ label, name, errors, hint, type = "text", ...inputProps }: FormFieldProps) {
  const { id, aria, notes } = useFieldNotes({ errors, hint });
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} type={type} {...aria} {...inputProps} />
      {notes}
    </div>
  );
}
