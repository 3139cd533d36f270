import { useCallback, useState } from "react";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { RichText } from "../../../components/rich-text";
import { StatusMessage } from "../../../components/status-message";
import { useForm } from "../../../hooks/use-form";
import { useSubmit } from "../../../hooks/use-submit";
import type { User } from "../../../lib/api-types";
import { errorMessage } from "../../../lib/error-message";
import { fieldErrorsWith } from "../../../lib/field-errors";
import { useTranslation } from "../../../lib/use-translation";
import { confirmLoginCode } from "../api/confirm-login-code";
import { requestLoginCode } from "../api/request-login-code";
import { useAuth } from "../auth-context";

interface EmailCodeLoginProps {
  onSuccess: (user: User) => void;
  /** The code was right but the account has a second factor: the context holds its challenge. */
  onMfaRequired: () => void;
}

function CodeStep({ email, detail, onSuccess, onMfaRequired, onChangeEmail }: EmailCodeLoginProps & {
  email: string;
  detail: string;
  onChangeEmail: () => void;
}) {
  const { t } = useTranslation("auth", { keyPrefix: "emailCodeLogin" });
  const { acceptLogin } = useAuth();
  const [resent, setResent] = useState<string | null>(null);
  const confirm = useCallback(async ({ code }: { code: string }) => acceptLogin(await confirmLoginCode({ email, code })), [acceptLogin, email]);
  const { values, change, handleSubmit, pending, error } = useForm({ code: "" }, confirm);
  const resend = useSubmit(requestLoginCode);

  const onSubmit = handleSubmit({
    onStart: () => setResent(null),
    onSuccess: (outcome) => (outcome.user ? onSuccess(outcome.user) : onMfaRequired()),
  });

  async function sendAgain() {
    setResent(null);
    const result = await resend.submit({ email });
    if (result.ok) setResent(result.data.detail || t("sent"));
  }

  const fieldErrors = fieldErrorsWith(error, "invalid_code", "code");
  const message = error?.code === "invalid_code" ? null : errorMessage(error, ["code", "email"]);

  return (
    <>
      <p className="notice">{detail}</p>
      <p>
        <RichText text={t("enterCode")} elements={{ email: <strong>{email}</strong> }} />
      </p>
      <Form onSubmit={onSubmit} error={error} message={message} aria-label={t("codeLabel")}>
        <FormField label={t("code")} name="code" autoComplete="one-time-code" autoCapitalize="characters" required
          spellCheck={false} autoFocus value={values.code} onChange={change} errors={fieldErrors.code} />
        <button type="submit" disabled={pending} aria-busy={pending || undefined}>
          {t("verify")}
        </button>
      </Form>
      {resend.error && (
        <p className="form-error" role="alert">
          {errorMessage(resend.error)}
        </p>
      )}
      <StatusMessage message={resent} />
      <div className="alternatives">
        <button type="button" className="link" onClick={() => void sendAgain()} disabled={resend.pending}>
          {t("sendAgain")}
        </button>
        <button type="button" className="link" onClick={onChangeEmail}>
          {t("otherEmail")}
        </button>
      </div>
    </>
  );
}

/** Sign in without a password: a code is emailed to the address, then typed here. */
export function EmailCodeLogin({ onSuccess, onMfaRequired }: EmailCodeLoginProps) {
  const { t } = useTranslation("auth", { keyPrefix: "emailCodeLogin" });
  const [sent, setSent] = useState<{ email: string; detail: string } | null>(null);
  const { values, change, handleSubmit, pending, error, fieldErrors } = useForm({ email: "" }, requestLoginCode);
  const onSubmit = handleSubmit({ onSuccess: (data, { email }) => setSent({ email: email.trim(), detail: data.detail || t("sent") }) });

  if (sent) {
    return <CodeStep {...sent} onSuccess={onSuccess} onMfaRequired={onMfaRequired} onChangeEmail={() => setSent(null)} />;
  }
  return (
    <>
      <p>{t("intro")}</p>
      <Form onSubmit={onSubmit} error={error} message={errorMessage(error, ["email"])} aria-label={t("emailLabel")}>
        <FormField label={t("email")} name="email" type="email" autoComplete="email" required
          value={values.email} onChange={change} errors={fieldErrors.email} />
        <button type="submit" disabled={pending} aria-busy={pending || undefined}>
          {t("submit")}
        </button>
      </Form>
    </>
  );
}
