import { useCallback, useState } from "react";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { StatusMessage } from "../../../components/status-message";
import { useForm } from "../../../hooks/use-form";
import { errorMessage } from "../../../lib/error-message";
import { useTranslation } from "../../../lib/use-translation";
import { resendConfirmation } from "../api/resend-confirmation";

/**
 * "Resend email": sends the confirmation link again to `email`, or asks for the address when
 * the page does not know it (e.g. after a reload, router state is gone).
 */
export function ResendConfirmation({ email }: { email: string }) {
  const { t } = useTranslation("auth", { keyPrefix: "resendConfirmation" });
  const [sent, setSent] = useState<string | null>(null);
  // The address typed here counts only when the page did not know one.
  const resend = useCallback((typed: { email: string }) => resendConfirmation(email || typed.email), [email]);
  const { values, change, handleSubmit, pending, error, fieldErrors } = useForm({ email: "" }, resend);

  const onSubmit = handleSubmit({
    onStart: () => setSent(null),
    onSuccess: (data) => setSent(data.detail || t("sent")),
  });

  return (
    <Form onSubmit={onSubmit} error={error} message={errorMessage(error, ["email"])} aria-label={t("label")}>
      {!email && (
        <FormField label={t("email")} name="email" type="email" autoComplete="email" required
          value={values.email} onChange={change} errors={fieldErrors.email} />
      )}
      <StatusMessage message={sent} />
      <button type="submit" className="secondary" disabled={pending} aria-busy={pending || undefined}>
        {t("submit")}
      </button>
    </Form>
  );
}
