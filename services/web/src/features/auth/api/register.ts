import { api } from "../../../lib/api-client";
import type { Detail } from "../../../lib/api-types";

export interface Registration {
  email: string;
  username?: string;
  password: string;
}

/** POST /api/auth/register/ → 201 {detail}. The username is optional and left out when blank. */
export async function register({ email, username, password }: Registration): Promise<Detail> {
  const body: { email: string; password: string; username?: string } = { email: email.trim(), password };
  if (username && username.trim()) body.username = username.trim();
  const response = await api.post<Detail>("/auth/register/", body);
  return response.data;
}
