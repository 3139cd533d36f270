import { useId, useState, type ChangeEvent, type FormEvent } from "react";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { StatusMessage } from "../../../components/status-message";
import { useSubmit } from "../../../hooks/use-submit";
import { errorMessage } from "../../../lib/error-message";
import { fieldErrorsWith } from "../../../lib/field-errors";
import { changeEmail } from "../api/change-email";

const FIELDS = ["new_email", "password"];

/** "Change email" section: the address changes once the link sent to the new one is opened. */
export function ChangeEmailForm({ currentEmail }: { currentEmail: string }) {
  const headingId = useId();
  const [values, setValues] = useState({ newEmail: "", password: "" });
  const [done, setDone] = useState<string | null>(null);
  const { submit, pending, error } = useSubmit(changeEmail);
  const change = (event: ChangeEvent<HTMLInputElement>) => setValues((current) => ({ ...current, [event.target.name]: event.target.value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(null);
    const result = await submit(values);
    if (result.ok) {
      setValues((current) => ({ ...current, password: "" }));
      setDone(result.data?.detail || "Check the new address for a confirmation link.");
    }
  }

  const fieldErrors = fieldErrorsWith(error, "invalid_password", "password");
  const message = error?.code === "invalid_password" ? null : errorMessage(error, FIELDS);

  return (
    <section className="section">
      <h2 id={headingId}>Change email</h2>
      {currentEmail && (
        <p className="hint">
          Your address is now <strong>{currentEmail}</strong>. It changes when you open the link we send to the new one.
        </p>
      )}
      <Form onSubmit={onSubmit} error={error} message={message} aria-labelledby={headingId}>
        <FormField label="New email" name="newEmail" type="email" autoComplete="email" required
          value={values.newEmail} onChange={change} errors={fieldErrors.new_email} />
        <FormField label="Password" name="password" type="password" autoComplete="current-password" required
          value={values.password} onChange={change} errors={fieldErrors.password} />
        <StatusMessage message={done} />
        <button type="submit" disabled={pending} aria-busy={pending || undefined}>
          Change email
        </button>
      </Form>
    </section>
  );
}
