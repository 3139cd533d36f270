import { useState, type ChangeEvent } from "react";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { SelectField } from "../../../components/select-field";
import { StatusMessage } from "../../../components/status-message";
import { useForm } from "../../../hooks/use-form";
import type { User } from "../../../lib/api-types";
import { errorMessage } from "../../../lib/error-message";
import { currentLanguage, isLanguage, LANGUAGE_NAMES } from "../../../lib/i18n";
import { useTranslation } from "../../../lib/use-translation";
import { updateProfile } from "../api/update-profile";

const FIELDS = ["username", "first_name", "last_name", "language"];

const LANGUAGE_OPTIONS = [...LANGUAGE_NAMES];

/**
 * Edits username, names and the account's language; calls onSaved(user) with what the API
 * returned (the page then follows the saved language: app/account-language.tsx).
 */
export function ProfileForm({ user, onSaved }: { user: User; onSaved?: (user: User) => void }) {
  const { t } = useTranslation("account", { keyPrefix: "profileForm" });
  const [saved, setSaved] = useState(false);
  const form = useForm(
    () => ({
      username: user.username ?? "",
      firstName: user.first_name ?? "",
      lastName: user.last_name ?? "",
      // An account without one (an API from before languages) starts from the page's.
      language: isLanguage(user.language) ? user.language : currentLanguage(),
    }),
    updateProfile,
  );
  const { values, handleSubmit, pending, error, fieldErrors } = form;
  // "Saved." is about what was sent: typing again takes it away.
  const change = (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
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
      <SelectField label={t("language")} name="language" options={LANGUAGE_OPTIONS}
        value={values.language} onChange={change} errors={fieldErrors.language} />
      <StatusMessage message={saved ? t("saved") : null} />
      <button type="submit" disabled={pending} aria-busy={pending || undefined}>
        {t("submit")}
      </button>
    </Form>
  );
}
