import { api } from "../../../lib/api-client";
import type { Detail } from "../../../lib/api-types";
import type { Language } from "../../../lib/i18n";

export interface Registration {
  email: string;
  username?: string;
  password: string;
  /** The page's language: the account's from the start (its emails too). */
  language: Language;
}

/** POST /api/auth/register/ → 201 {detail}. The username is optional and left out when blank. */
export async function register({ email, username, password, language }: Registration): Promise<Detail> {
  const body: { email: string; password: string; language: Language; username?: string } = { email: email.trim(), password, language };
  if (username && username.trim()) body.username = username.trim();
  const response = await api.post<Detail>("/auth/register/", body);
  return response.data;
}
