import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { useForm } from "../../../hooks/use-form";
import { errorMessage } from "../../../lib/error-message";
import { fieldErrorsWith } from "../../../lib/field-errors";
import { useTranslation } from "../../../lib/use-translation";
import { deleteAccount } from "../api/delete-account";

/** Deletes the account after the password is confirmed; calls onDeleted() after the 204. */
export function DeleteAccountForm({ onDeleted }: { onDeleted?: () => void }) {
  const { t } = useTranslation("account", { keyPrefix: "deleteAccountForm" });
  const { values, change, handleSubmit, pending, error } = useForm({ password: "" }, deleteAccount);
  const onSubmit = handleSubmit({ onSuccess: () => onDeleted?.() });

  const fieldErrors = fieldErrorsWith(error, "invalid_password", "password");
  const message = error?.code === "invalid_password" ? null : errorMessage(error, ["password"]);

  return (
    <Form onSubmit={onSubmit} error={error} message={message} aria-label={t("label")}>
      <FormField label={t("password")} name="password" type="password" autoComplete="current-password" required
        value={values.password} onChange={change} errors={fieldErrors.password}
        hint={t("passwordHint")} />
      <button type="submit" className="danger" disabled={pending} aria-busy={pending || undefined}>
        {t("submit")}
      </button>
    </Form>
  );
}
