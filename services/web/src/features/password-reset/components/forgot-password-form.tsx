import { useState } from "react";
import { Link } from "react-router-dom";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { useForm } from "../../../hooks/use-form";
import { errorMessage } from "../../../lib/error-message";
import { requestReset } from "../api/request-reset";

const send = ({ email }: { email: string }) => requestReset(email);

/** Asks for reset instructions; after the 202 explains the two ways on (link or code). */
export function ForgotPasswordForm() {
  const [sent, setSent] = useState<string | null>(null);
  const { values, change, handleSubmit, pending, error, fieldErrors } = useForm({ email: "" }, send);
  const email = values.email;
  const onSubmit = handleSubmit({
    onSuccess: (data) => setSent(data.detail || "If that address has an account, we sent instructions."),
  });

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
        value={email} onChange={change} errors={fieldErrors.email} />
      <button type="submit" disabled={pending} aria-busy={pending || undefined}>
        Send reset instructions
      </button>
    </Form>
  );
}
