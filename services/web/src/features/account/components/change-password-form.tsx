import { useId, useState } from "react";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { StatusMessage } from "../../../components/status-message";
import { useForm } from "../../../hooks/use-form";
import { errorMessage } from "../../../lib/error-message";
import { fieldErrorsWith } from "../../../lib/field-errors";
import { useTranslation } from "../../../lib/use-translation";
import { changePassword } from "../api/change-password";

const FIELDS = ["current_password", "new_password"];
const EMPTY = { currentPassword: "", newPassword: "" };

/** "Change password" section: its own form, named by its heading. */
export function ChangePasswordForm() {
  const { t } = useTranslation("account", { keyPrefix: "changePassword" });
  const headingId = useId();
  const [done, setDone] = useState<string | null>(null);
  const { values, setValues, change, handleSubmit, pending, error } = useForm(EMPTY, changePassword);

  const onSubmit = handleSubmit({
    onStart: () => setDone(null),
    onSuccess: (data) => {
      setValues(EMPTY);
      setDone(data.detail || t("done"));
    },
  });

  // A wrong current password is a message about that field, not about the whole form.
  const fieldErrors = fieldErrorsWith(error, "invalid_password", "current_password");
  const message = error?.code === "invalid_password" ? null : errorMessage(error, FIELDS);

  return (
    <section className="section">
      <h2 id={headingId}>{t("title")}</h2>
      <p className="hint">{t("hint")}</p>
      <Form onSubmit={onSubmit} error={error} message={message} aria-labelledby={headingId}>
        <FormField label={t("currentPassword")} name="currentPassword" type="password" autoComplete="current-password"
          required value={values.currentPassword} onChange={change} errors={fieldErrors.current_password} />
        <FormField label={t("newPassword")} name="newPassword" type="password" autoComplete="new-password" required
          value={values.newPassword} onChange={change} errors={fieldErrors.new_password} hint={t("newPasswordHint")} />
        <StatusMessage message={done} />
        <button type="submit" disabled={pending} aria-busy={pending || undefined}>
          {t("submit")}
        </button>
      </Form>
    </section>
  );
}
