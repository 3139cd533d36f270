import { api } from "../../../lib/api-client";
import type { User } from "../../../lib/api-types";
import type { Language } from "../../../lib/i18n";

/** PATCH /api/auth/me/ {language} → 200 and the user; anything but "en" or "de" → 400 validation_error. */
export async function updateLanguage(language: Language): Promise<User> {
  const response = await api.patch<User>("/auth/me/", { language });
  return response.data;
}
