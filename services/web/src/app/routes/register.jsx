import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { FormError, FormField } from "../../components/form-field.jsx";
import { register } from "../../features/auth/api/register.js";
import { useSubmit } from "../../lib/use-submit.js";

export function RegisterPage() {
  const navigate = useNavigate();
  const [values, setValues] = useState({ email: "", username: "", password: "" });
  const { submit, pending, fieldErrors, formError } = useSubmit(register);
  const change = (event) => setValues({ ...values, [event.target.name]: event.target.value });

  async function onSubmit(event) {
    event.preventDefault();
    const result = await submit(values);
    if (result.ok) navigate("/check-email", { state: { email: values.email } });
  }

  return (
    <main className="card">
      <h1>Create your account</h1>
      <form onSubmit={onSubmit} noValidate>
        <FormError error={formError} />
        <FormField label="Email" name="email" type="email" autoComplete="email" required
          value={values.email} onChange={change} errors={fieldErrors.email} />
        <FormField label="Username (optional)" name="username" autoComplete="username"
          value={values.username} onChange={change} errors={fieldErrors.username} />
        <FormField label="Password" name="password" type="password" autoComplete="new-password" required
          value={values.password} onChange={change} errors={fieldErrors.password} hint="At least 12 characters." />
        <button type="submit" disabled={pending}>
          {pending ? "Creating account…" : "Create account"}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </main>
  );
}
