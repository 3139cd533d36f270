import { useState, type ChangeEvent } from "react";
import { useTranslation } from "react-i18next";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { StatusMessage } from "../../../components/status-message";
import { useForm } from "../../../hooks/use-form";
import type { User } from "../../../lib/api-types";
import { errorMessage } from "../../../lib/error-message";
import { updateProfile } from "../api/update-profile";

const FIELDS = ["username", "first_name", "last_name"];

/** Edits username and names; calls onSaved(user) with what the API returned. */
export function ProfileForm({ user, onSaved }: { user: User; onSaved?: (user: User) => void }) {
  const { t } = useTranslation("account", { keyPrefix: "profileForm" });
  const [saved, setSaved] = useState(false);
  const form = useForm(
    () => ({ username: user.username ?? "", firstName: user.first_name ?? "", lastName: user.last_name ?? "" }),
    updateProfile,
  );
  const { values, handleSubmit, pending, error, fieldErrors } = form;
  // "Saved." is about what was sent: typing again takes it away.
  const change = (event: ChangeEvent<HTMLInputElement>) => {
    setSaved(false);
    form.change(event);
  };

  const onSubmit = handleSubmit({
    onStart: () => setSaved(false),
    onSuccess: (data) => {
      setSaved(true);
      onSaved?.(data);
    },
  });

  return (
    <Form onSubmit={onSubmit} error={error} message={errorMessage(error, FIELDS)} aria-label={t("label")}>
      <FormField label={t("username")} name="username" autoComplete="username" autoCapitalize="none" spellCheck={false}
        value={values.username} onChange={change} errors={fieldErrors.username}
        hint={t("usernameHint")} />
      <FormField label={t("firstName")} name="firstName" autoComplete="given-name"
        value={values.firstName} onChange={change} errors={fieldErrors.first_name} />
      <FormField label={t("lastName")} name="lastName" autoComplete="family-name"
        value={values.lastName} onChange={change} errors={fieldErrors.last_name} />
      <StatusMessage message={saved ? t("saved") : null} />
      <button type="submit" disabled={pending} aria-busy={pending || undefined}>
        {t("submit")}
      </button>
    </Form>
  );
}
