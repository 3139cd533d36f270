import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { useSubmit } from "../../../hooks/use-submit";
import { errorMessage } from "../../../lib/error-message";
import { requestReset } from "../api/request-reset";

/** Asks for reset instructions; after the 202 explains the two ways on (link or code). */
export function ForgotPasswordForm() {
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState<string | null>(null);
  const { submit, pending, error, fieldErrors } = useSubmit(requestReset);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await submit(email);
    if (result.ok) setSent(result.data?.detail || "If that address has an account, we sent instructions.");
  }

  if (sent) {
    return (
      <div className="next-steps">
        <p role="status">{sent}</p>
        <p>The email has a link and a 6-digit code. Use either one:</p>
        <details>
          <summary>I have a link</summary>
          <p>Open the link from the email in this browser. It takes you to a page where you choose a new password.</p>
        </details>
        <p>
          <Link to="/reset-password/code" state={{ email: email.trim() }}>
            Enter a code
          </Link>
        </p>
        <p className="hint">Nothing there? Check your spam folder, or <button type="button" className="link"
          onClick={() => setSent(null)}>try again</button>.</p>
      </div>
    );
  }

  return (
    <Form onSubmit={onSubmit} error={error} message={errorMessage(error, ["email"])} aria-label="Forgot password">
      <FormField label="Email" name="email" type="email" autoComplete="email" required
        value={email} onChange={(event) => setEmail(event.target.value)} errors={fieldErrors.email} />
      <button type="submit" disabled={pending} aria-busy={pending || undefined}>
        Send reset instructions
      </button>
    </Form>
  );
}
