import { useState, type ChangeEvent, type FormEvent } from "react";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { useSubmit } from "../../../hooks/use-submit";
import { errorMessage } from "../../../lib/error-message";
import { confirmReset } from "../api/confirm-reset";
import { NewPasswordField } from "./new-password-field";
import { ResetDone } from "./reset-done";

const FIELDS = ["email", "code", "new_password"];

/** Resets with the 6-digit code from the email. */
export function ResetByCodeForm({ initialEmail = "", onReset }: { initialEmail?: string; onReset?: () => void }) {
  const [values, setValues] = useState({ email: initialEmail, code: "", newPassword: "" });
  const [done, setDone] = useState<string | null>(null);
  const { submit, pending, error, fieldErrors } = useSubmit(confirmReset);
  const change = (event: ChangeEvent<HTMLInputElement>) => setValues((current) => ({ ...current, [event.target.name]: event.target.value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await submit(values);
    if (result.ok) {
      setDone(result.data?.detail || "Your password has been reset.");
      onReset?.();
    }
  }

  if (done) return <ResetDone detail={done} />;

  return (
    <>
      <h1>Enter your reset code</h1>
      <p>Type the 6-digit code from the email and choose a new password.</p>
      <Form onSubmit={onSubmit} error={error} message={errorMessage(error, FIELDS)} aria-label="Reset password">
        <FormField label="Email" name="email" type="email" autoComplete="email" required
          value={values.email} onChange={change} errors={fieldErrors.email} />
        <FormField label="Code" name="code" inputMode="numeric" autoComplete="one-time-code" required
          spellCheck={false} value={values.code} onChange={change} errors={fieldErrors.code} />
        <NewPasswordField value={values.newPassword} onChange={change} errors={fieldErrors.new_password} />
        <button type="submit" disabled={pending} aria-busy={pending || undefined}>
          Set new password
        </button>
      </Form>
    </>
  );
}
