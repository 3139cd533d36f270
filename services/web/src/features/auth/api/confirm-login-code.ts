import { api } from "../../../lib/api-client";
import type { LoginAnswer } from "../../../lib/api-types";

/**
 * POST /api/auth/login/code/confirm/ {email, code} → the login's answer: a session, or
 * mfa_required when the account has a second factor. 400 invalid_code (wrong, expired, used, or
 * too many tries); 429. The API ignores case, spaces and dashes in the code.
 */
export async function confirmLoginCode({ email, code }: { email: string; code: string }): Promise<LoginAnswer> {
  const response = await api.post<LoginAnswer>(
    "/auth/login/code/confirm/",
    { email: email.trim(), code: code.trim() },
    { skipSessionEnded: true },
  );
  return response.data;
}
