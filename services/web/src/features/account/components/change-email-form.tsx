import { useId, useState } from "react";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { RichText } from "../../../components/rich-text";
import { StatusMessage } from "../../../components/status-message";
import { useForm } from "../../../hooks/use-form";
import { errorMessage } from "../../../lib/error-message";
import { fieldErrorsWith } from "../../../lib/field-errors";
import { useTranslation } from "../../../lib/use-translation";
import { changeEmail } from "../api/change-email";

const FIELDS = ["new_email", "password"];

/** "Change email" section: the address changes once the link sent to the new one is opened. */
export function ChangeEmailForm({ currentEmail }: { currentEmail: string }) {
  const { t } = useTranslation("account", { keyPrefix: "changeEmail" });
  const headingId = useId();
  const [done, setDone] = useState<string | null>(null);
  const { values, setValues, change, handleSubmit, pending, error } = useForm({ newEmail: "", password: "" }, changeEmail);

  const onSubmit = handleSubmit({
    onStart: () => setDone(null),
    onSuccess: (data) => {
      setValues((current) => ({ ...current, password: "" }));
      setDone(data.detail || t("done"));
    },
  });

  const fieldErrors = fieldErrorsWith(error, "invalid_password", "password");
  const message = error?.code === "invalid_password" ? null : errorMessage(error, FIELDS);

  return (
    <section className="section">
      <h2 id={headingId}>{t("title")}</h2>
      {currentEmail && (
        <p className="hint">
          <RichText text={t("current")} elements={{ email: <strong>{currentEmail}</strong> }} />
        </p>
      )}
      <Form onSubmit={onSubmit} error={error} message={message} aria-labelledby={headingId}>
        <FormField label={t("newEmail")} name="newEmail" type="email" autoComplete="email" required
          value={values.newEmail} onChange={change} errors={fieldErrors.new_email} />
        <FormField label={t("password")} name="password" type="password" autoComplete="current-password" required
          value={values.password} onChange={change} errors={fieldErrors.password} />
        <StatusMessage message={done} />
        <button type="submit" disabled={pending} aria-busy={pending || undefined}>
          {t("submit")}
        </button>
      </Form>
    </section>
  );
}
