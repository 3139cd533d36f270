import { api } from "../../../lib/api-client";
import type { Detail } from "../../../lib/api-types";

/** From the emailed link, or from the code typed with the address. */
export type ResetConfirmation =
  | { uid: string; token: string; newPassword: string; email?: undefined; code?: undefined }
  | { email: string; code: string; newPassword: string; uid?: undefined; token?: undefined };

/**
 * POST /api/auth/password/reset/confirm/ with {uid, token, new_password} (from the link) or
 * {email, code, new_password} (from the code) → 200 {detail}. 400 invalid_reset for a bad link
 * or code, 400 validation_error on new_password for a weak password.
 */
export async function confirmReset(reset: ResetConfirmation): Promise<Detail> {
  const body =
    reset.uid !== undefined
      ? { uid: reset.uid, token: reset.token, new_password: reset.newPassword }
      : { email: reset.email.trim(), code: reset.code.replace(/\s+/g, ""), new_password: reset.newPassword };
  const response = await api.post<Detail>("/auth/password/reset/confirm/", body);
  return response.data;
}
