import { api } from "../../../lib/api-client";
import type { LoginResponse } from "../../../lib/api-types";

export interface Credentials {
  identifier: string;
  password: string;
}

/**
 * POST /api/auth/login/ → 200 {expiry, user} (no token: it is in the HttpOnly cookie).
 * An identifier with an "@" is an email, anything else a username. Login needs the CSRF
 * cookie too (login CSRF): the api client fetches it first if it is missing.
 */
export async function login({ identifier, password }: Credentials): Promise<LoginResponse> {
  const value = identifier.trim();
  const body = value.includes("@") ? { email: value, password } : { username: value, password };
  const response = await api.post<LoginResponse>("/auth/login/", body, { skipSessionEnded: true });
  return response.data;
}
