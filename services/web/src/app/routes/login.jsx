import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { FormError, FormField } from "../../components/form-field.jsx";
import { useAuth } from "../../features/auth/auth-context.jsx";
import { safeNext } from "../../lib/safe-next.js";
import { useSubmit } from "../../lib/use-submit.js";

export function LoginPage() {
  const { login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [values, setValues] = useState({ identifier: "", password: "" });
  const { submit, pending, fieldErrors, formError, error } = useSubmit(login);
  const change = (event) => setValues({ ...values, [event.target.name]: event.target.value });

  async function onSubmit(event) {
    event.preventDefault();
    const result = await submit(values);
    if (result.ok) navigate(safeNext(params.get("next")), { replace: true });
  }

  const message =
    error?.code === "email_not_confirmed"
      ? "Please confirm your email address first: open the link we emailed you."
      : formError;

  return (
    <main className="card">
      <h1>Log in</h1>
      <form onSubmit={onSubmit} noValidate>
        <FormError error={message} />
        <FormField label="Email or username" name="identifier" autoComplete="username" required
          value={values.identifier} onChange={change} errors={fieldErrors.email ?? fieldErrors.username} />
        <FormField label="Password" name="password" type="password" autoComplete="current-password" required
          value={values.password} onChange={change} errors={fieldErrors.password} />
        <button type="submit" disabled={pending}>
          {pending ? "Logging in…" : "Log in"}
        </button>
      </form>
      <p>
        New here? <Link to="/register">Create an account</Link>
      </p>
    </main>
  );
}
