import { api } from "../../../lib/api-client";
import type { TotpSetup } from "../../../lib/api-types";

/**
 * POST /api/auth/mfa/totp/setup/ → {secret, otpauth_uri}, not active until confirmed (a new
 * set-up replaces an unconfirmed one). 400 totp_already_enabled; 403 reauthentication_required.
 */
export async function setUpTotp(): Promise<TotpSetup> {
  const response = await api.post<TotpSetup>("/auth/mfa/totp/setup/", null);
  return response.data;
}
