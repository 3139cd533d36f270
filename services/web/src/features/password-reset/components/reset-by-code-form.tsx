import { useState } from "react";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { useForm } from "../../../hooks/use-form";
import { errorMessage } from "../../../lib/error-message";
import { confirmReset } from "../api/confirm-reset";
import { NewPasswordField } from "./new-password-field";
import { ResetDone } from "./reset-done";

const FIELDS = ["email", "code", "new_password"];

/** Resets with the 6-digit code from the email. */
export function ResetByCodeForm({ initialEmail = "", onReset }: { initialEmail?: string; onReset?: () => void }) {
  const [done, setDone] = useState<string | null>(null);
  const { values, change, handleSubmit, pending, error, fieldErrors } = useForm(
    { email: initialEmail, code: "", newPassword: "" },
    confirmReset,
  );
  const onSubmit = handleSubmit({
    onSuccess: (data) => {
      setDone(data.detail || "Your password has been reset.");
      onReset?.();
    },
  });

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
