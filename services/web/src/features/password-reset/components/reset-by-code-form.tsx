import { useState } from "react";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { useForm } from "../../../hooks/use-form";
import { errorMessage } from "../../../lib/error-message";
import { useTranslation } from "../../../lib/use-translation";
import { confirmReset } from "../api/confirm-reset";
import { NewPasswordField } from "./new-password-field";
import { ResetDone } from "./reset-done";

const FIELDS = ["email", "code", "new_password"];

/** Resets with the 6-digit code from the email. */
export function ResetByCodeForm({ initialEmail = "", onReset }: { initialEmail?: string; onReset?: () => void }) {
  const { t } = useTranslation("password-reset", { keyPrefix: "byCode" });
  const [done, setDone] = useState<string | null>(null);
  const { values, change, handleSubmit, pending, error, fieldErrors } = useForm(
    { email: initialEmail, code: "", newPassword: "" },
    confirmReset,
  );
  const onSubmit = handleSubmit({
    onSuccess: (data) => {
      setDone(data.detail || t("done"));
      onReset?.();
    },
  });

  if (done) return <ResetDone detail={done} />;

  return (
    <>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      <Form onSubmit={onSubmit} error={error} message={errorMessage(error, FIELDS)} aria-label={t("label")}>
        <FormField label={t("email")} name="email" type="email" autoComplete="email" required
          value={values.email} onChange={change} errors={fieldErrors.email} />
        <FormField label={t("code")} name="code" inputMode="numeric" autoComplete="one-time-code" required
          spellCheck={false} value={values.code} onChange={change} errors={fieldErrors.code} />
        <NewPasswordField value={values.newPassword} onChange={change} errors={fieldErrors.new_password} />
        <button type="submit" disabled={pending} aria-busy={pending || undefined}>
          {t("submit")}
        </button>
      </Form>
    </>
  );
}
