import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { useForm } from "../../../hooks/use-form";
import { errorMessage } from "../../../lib/error-message";
import { currentLanguage } from "../../../lib/i18n";
import { useTranslation } from "../../../lib/use-translation";
import { register, type Registration } from "../api/register";

const FIELDS = ["email", "username", "password"];

const send = (typed: Omit<Registration, "language">) => register({ ...typed, language: currentLanguage() });

/**
 * Calls onSuccess(email) after a 201; on errors keeps what was typed and shows the API's
 * messages. The account starts in the page's language.
 */
export function RegisterForm({ onSuccess }: { onSuccess: (email: string) => void }) {
  const { t } = useTranslation("auth", { keyPrefix: "registerForm" });
  const { values, change, handleSubmit, pending, error, fieldErrors } = useForm({ email: "", username: "", password: "" }, send);
  const onSubmit = handleSubmit({ onSuccess: (_data, sent) => onSuccess(sent.email.trim()) });

  return (
    <Form onSubmit={onSubmit} error={error} message={errorMessage(error, FIELDS)} aria-label={t("label")}>
      <FormField label={t("email")} name="email" type="email" autoComplete="email" required
        value={values.email} onChange={change} errors={fieldErrors.email} />
      <FormField label={t("username")} name="username" autoComplete="username"
        autoCapitalize="none" spellCheck={false}
        value={values.username} onChange={change} errors={fieldErrors.username} />
      <FormField label={t("password")} name="password" type="password" autoComplete="new-password" required
        value={values.password} onChange={change} errors={fieldErrors.password} hint={t("passwordHint")} />
      <button type="submit" disabled={pending} aria-busy={pending || undefined}>
        {t("submit")}
      </button>
    </Form>
  );
}
