import type { ChangeEventHandler } from "react";
import { FormField } from "../../../components/form-field";

interface NewPasswordFieldProps {
  value: string;
  onChange: ChangeEventHandler<HTMLInputElement>;
  errors: readonly string[] | undefined;
}

export function NewPasswordField({ value, onChange, errors }: NewPasswordFieldProps) {
  return (
    <FormField label="New password" name="newPassword" type="password" autoComplete="new-password" required
      value={value} onChange={onChange} errors={errors} hint="At least 12 characters." />
  );
}
