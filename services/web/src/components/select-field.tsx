import type { ReactNode, SelectHTMLAttributes } from "react";
import { useFieldNotes, type FieldNotes } from "./form-field";

export interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, "name">, FieldNotes {
  label: ReactNode;
  name: string;
  /** [value, what the option says], in order. */
  options: readonly (readonly [string, string])[];
}

/** A labelled <select>, its messages and hint tied to it as FormField ties them to an input. */
export function SelectField({ label, name, options, errors, hint, ...selectProps }: SelectFieldProps) {
  const { id, aria, notes } = useFieldNotes({ errors, hint });
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} {...aria} {...selectProps}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      {notes}
    </div>
  );
}
