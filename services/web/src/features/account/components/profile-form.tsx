import { useState, type ChangeEvent, type FormEvent } from "react";
import type { User } from "../../../lib/api-types";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { StatusMessage } from "../../../components/status-message";
import { useSubmit } from "../../../hooks/use-submit";
import { errorMessage } from "../../../lib/error-message";
import { updateProfile } from "../api/update-profile";

const FIELDS = ["username", "first_name", "last_name"];

/** Edits username and names; calls onSaved(user) with what the API returned. */
export function ProfileForm({ user, onSaved }: { user: User; onSaved?: (user: User) => void }) {
  const [values, setValues] = useState({
    username: user.username ?? "",
    firstName: user.first_name ?? "",
    lastName: user.last_name ?? "",
  });
  const [saved, setSaved] = useState(false);
  const { submit, pending, error, fieldErrors } = useSubmit(updateProfile);
  const change = (event: ChangeEvent<HTMLInputElement>) => {
    setSaved(false);
    setValues((current) => ({ ...current, [event.target.name]: event.target.value }));
  };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const result = await submit(values);
    if (result.ok) {
      setSaved(true);
      onSaved?.(result.data);
    }
  }

  return (
    <Form onSubmit={onSubmit} error={error} message={errorMessage(error, FIELDS)} aria-label="Profile">
      <FormField label="Username" name="username" autoComplete="username" autoCapitalize="none" spellCheck={false}
        value={values.username} onChange={change} errors={fieldErrors.username}
        hint="Optional. You can log in with it instead of your email." />
      <FormField label="First name" name="firstName" autoComplete="given-name"
        value={values.firstName} onChange={change} errors={fieldErrors.first_name} />
      <FormField label="Last name" name="lastName" autoComplete="family-name"
        value={values.lastName} onChange={change} errors={fieldErrors.last_name} />
      <StatusMessage message={saved ? "Saved." : null} />
      <button type="submit" disabled={pending} aria-busy={pending || undefined}>
        Save changes
      </button>
    </Form>
  );
}
