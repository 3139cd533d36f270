import { api } from "../../../lib/api-client";
import type { User } from "../../../lib/api-types";
import type { Language } from "../../../lib/i18n";

export interface ProfileChanges {
  username: string;
  firstName: string;
  lastName: string;
  language: Language;
}

/**
 * PATCH /api/auth/me/ {username, first_name, last_name, language} → 200 and the user. A blank
 * username is sent as "" and removes it.
 */
export async function updateProfile({ username, firstName, lastName, language }: ProfileChanges): Promise<User> {
  const response = await api.patch<User>("/auth/me/", {
    username: username.trim(),
    first_name: firstName.trim(),
    last_name: lastName.trim(),
    language,
  });
  return response.data;
}
