import type { ChangeEventHandler } from "react";
import { FormField } from "../../../components/form-field";
import { useTranslation } from "../../../lib/use-translation";

interface NewPasswordFieldProps {
  value: string;
  onChange: ChangeEventHandler<HTMLInputElement>;
  errors: readonly string[] | undefined;
}

export function NewPasswordField({ value, onChange, errors }: NewPasswordFieldProps) {
  const { t } = useTranslation("password-reset", { keyPrefix: "newPassword" });
  return (
    <FormField label={t("label")} name="newPassword" type="password" autoComplete="new-password" required
      value={value} onChange={onChange} errors={errors} hint={t("hint")} />
  );
}
