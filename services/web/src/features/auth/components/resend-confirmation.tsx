import { useState, type FormEvent } from "react";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { StatusMessage } from "../../../components/status-message";
import { useSubmit } from "../../../hooks/use-submit";
import { errorMessage } from "../../../lib/error-message";
import { resendConfirmation } from "../api/resend-confirmation";

/**
 * "Resend email": sends the confirmation link again to `email`, or asks for the address when
 * the page does not know it (e.g. after a reload, router state is gone).
 */
export function ResendConfirmation({ email }: { email: string }) {
  const [typed, setTyped] = useState("");
  const [sent, setSent] = useState<string | null>(null);
  const { submit, pending, error, fieldErrors } = useSubmit(resendConfirmation);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSent(null);
    const result = await submit(email || typed);
    if (result.ok) setSent(result.data?.detail || "We sent a new link if the address is waiting for confirmation.");
  }

  return (
    <Form onSubmit={onSubmit} error={error} message={errorMessage(error, ["email"])} aria-label="Resend the confirmation link">
      {!email && (
        <FormField label="Email" name="email" type="email" autoComplete="email" required
          value={typed} onChange={(event) => setTyped(event.target.value)} errors={fieldErrors.email} />
      )}
      <StatusMessage message={sent} />
      <button type="submit" className="secondary" disabled={pending} aria-busy={pending || undefined}>
        Resend email
      </button>
    </Form>
  );
}
