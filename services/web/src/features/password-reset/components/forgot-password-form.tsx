import { useState } from "react";
import { Link } from "react-router-dom";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { RichText } from "../../../components/rich-text";
import { useForm } from "../../../hooks/use-form";
import { errorMessage } from "../../../lib/error-message";
import { useTranslation } from "../../../lib/use-translation";
import { requestReset } from "../api/request-reset";

const send = ({ email }: { email: string }) => requestReset(email);

/** Asks for reset instructions; after the 202 explains the two ways on (link or code). */
export function ForgotPasswordForm() {
  const { t } = useTranslation("password-reset", { keyPrefix: "forgotForm" });
  const [sent, setSent] = useState<string | null>(null);
  const { values, change, handleSubmit, pending, error, fieldErrors } = useForm({ email: "" }, send);
  const email = values.email;
  const onSubmit = handleSubmit({
    onSuccess: (data) => setSent(data.detail || t("sent")),
  });

  if (sent) {
    return (
      <div className="next-steps">
        <p role="status">{sent}</p>
        <p>{t("eitherWay")}</p>
        <details>
          <summary>{t("haveLink")}</summary>
          <p>{t("openLink")}</p>
        </details>
        <p>
          <Link to="/reset-password/code" state={{ email: email.trim() }}>
            {t("enterCode")}
          </Link>
        </p>
        <p className="hint">
          <RichText text={t("spam")} elements={{ again: <button type="button" className="link" onClick={() => setSent(null)} /> }} />
        </p>
      </div>
    );
  }

  return (
    <Form onSubmit={onSubmit} error={error} message={errorMessage(error, ["email"])} aria-label={t("label")}>
      <FormField label={t("email")} name="email" type="email" autoComplete="email" required
        value={email} onChange={change} errors={fieldErrors.email} />
      <button type="submit" disabled={pending} aria-busy={pending || undefined}>
        {t("submit")}
      </button>
    </Form>
  );
}
