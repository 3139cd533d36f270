import { FormField } from "../../../components/form-field.jsx";

export function NewPasswordField({ value, onChange, errors }) {
  return (
    <FormField label="New password" name="newPassword" type="password" autoComplete="new-password" required
      value={value} onChange={onChange} errors={errors} hint="At least 12 characters." />
  );
}
