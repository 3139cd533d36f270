import { api } from "../../../lib/api-client";
import type { MfaStatus } from "../../../lib/api-types";

/**
 * GET /api/auth/mfa/ → {totp_enabled, totp_enabled_at, recovery_codes_remaining,
 * webauthn_credentials}: never a seed or a code.
 */
export async function getMfaStatus(): Promise<MfaStatus> {
  const response = await api.get<Partial<MfaStatus> | null>("/auth/mfa/");
  const data = response.data ?? {};
  return {
    totp_enabled: data.totp_enabled === true,
    totp_enabled_at: data.totp_enabled_at ?? null,
    recovery_codes_remaining: Number(data.recovery_codes_remaining) || 0,
    webauthn_credentials: Number(data.webauthn_credentials) || 0,
  };
}
