import { useState } from "react";
import { Form } from "../../../components/form.jsx";
import { FormField } from "../../../components/form-field.jsx";
import { useSubmit } from "../../../hooks/use-submit.js";
import { errorMessage } from "../../../lib/error-message.js";
import { useAuth } from "../auth-context.jsx";

const FIELDS = ["email", "username", "password"];

export const NOT_CONFIRMED_MESSAGE =
  "Please confirm your email address first: open the link we emailed you, then log in.";

/** Logs in through the auth context (which then holds the user) and calls onSuccess(user). */
export function LoginForm({ onSuccess }) {
  const { login } = useAuth();
  const [values, setValues] = useState({ identifier: "", password: "" });
  const { submit, pending, error, fieldErrors } = useSubmit(login);
  const change = (event) => setValues((current) => ({ ...current, [event.target.name]: event.target.value }));

  async function onSubmit(event) {
    event.preventDefault();
    const result = await submit(values);
    if (result.ok) onSuccess(result.data);
  }

  const message = error?.code === "email_not_confirmed" ? NOT_CONFIRMED_MESSAGE : errorMessage(error, FIELDS);
  const identifierErrors = [...(fieldErrors.email ?? []), ...(fieldErrors.username ?? [])];

  return (
    <Form onSubmit={onSubmit} error={error} message={message} aria-label="Log in">
      <FormField label="Email or username" name="identifier" autoComplete="username" required
        autoCapitalize="none" spellCheck={false}
        value={values.identifier} onChange={change} errors={identifierErrors} />
      <FormField label="Password" name="password" type="password" autoComplete="current-password" required
        value={values.password} onChange={change} errors={fieldErrors.password} />
      <button type="submit" disabled={pending} aria-busy={pending || undefined}>
        Log in
      </button>
    </Form>
  );
}
