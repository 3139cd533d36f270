import type { User } from "../../../lib/api-types";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { useForm } from "../../../hooks/use-form";
import { errorMessage } from "../../../lib/error-message";
import { useTranslation } from "../../../lib/use-translation";
import { useAuth } from "../auth-context";

const FIELDS = ["email", "username", "password"];

interface LoginFormProps {
  /** Signed in: the auth context holds the user. */
  onSuccess: (user: User) => void;
  /** The password was right but the account has a second factor: the context holds its challenge. */
  onMfaRequired?: () => void;
}

/**
 * Logs in through the auth context and calls onSuccess(user), or onMfaRequired() for the second
 * step. An unconfirmed address (email_not_confirmed) is told what to do next (lib/error-message).
 */
export function LoginForm({ onSuccess, onMfaRequired }: LoginFormProps) {
  const { t } = useTranslation("common", { keyPrefix: "loginForm" });
  const { login } = useAuth();
  const { values, change, handleSubmit, pending, error, fieldErrors } = useForm({ identifier: "", password: "" }, login);
  const onSubmit = handleSubmit({
    onSuccess: (outcome) => {
      if (outcome.user) onSuccess(outcome.user);
      else onMfaRequired?.();
    },
  });

  const identifierErrors = [...(fieldErrors.email ?? []), ...(fieldErrors.username ?? [])];

  return (
    <Form onSubmit={onSubmit} error={error} message={errorMessage(error, FIELDS)} aria-label={t("label")}>
      <FormField label={t("identifier")} name="identifier" autoComplete="username" required
        autoCapitalize="none" spellCheck={false}
        value={values.identifier} onChange={change} errors={identifierErrors} />
      <FormField label={t("password")} name="password" type="password" autoComplete="current-password" required
        value={values.password} onChange={change} errors={fieldErrors.password} />
      <button type="submit" disabled={pending} aria-busy={pending || undefined}>
        {t("submit")}
      </button>
    </Form>
  );
}
