import { api } from "../../../lib/api-client";
import type { LoginAnswer } from "../../../lib/api-types";

export interface Credentials {
  identifier: string;
  password: string;
}

/**
 * POST /api/auth/login/ → 200 {expiry, user} (no token: it is in the HttpOnly cookie), or, for
 * an account with a second factor, 200 {mfa_required, challenge, methods} and no session yet.
 * An identifier with an "@" is an email, anything else a username. Login needs the CSRF
 * cookie too (login CSRF): the api client fetches it first if it is missing.
 */
export async function login({ identifier, password }: Credentials): Promise<LoginAnswer> {
  const value = identifier.trim();
  const body = value.includes("@") ? { email: value, password } : { username: value, password };
  const response = await api.post<LoginAnswer>("/auth/login/", body, { skipSessionEnded: true });
  return response.data;
}
