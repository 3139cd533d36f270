import { api } from "../../../lib/api-client";
import type { RecoveryCodes } from "../../../lib/api-types";

/**
 * POST /api/auth/mfa/totp/confirm/ {code} → {recovery_codes: [10]}, shown this once: the app is
 * on from now. 400 invalid_code, totp_not_set_up, totp_already_enabled. Spaces typed in the
 * code ("123 456", as apps show it) are dropped.
 */
export async function confirmTotp({ code }: { code: string }): Promise<RecoveryCodes> {
  const response = await api.post<RecoveryCodes>("/auth/mfa/totp/confirm/", { code: code.replace(/\s+/g, "") });
  return response.data;
}
