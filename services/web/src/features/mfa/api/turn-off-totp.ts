import { api } from "../../../lib/api-client";

/** A current code from the app, or (for a lost app) one of the recovery codes. */
export type TotpTurnOffProof = { code: string } | { recoveryCode: string };

/**
 * DELETE /api/auth/mfa/totp/ {code} | {recovery_code} → 204: the app, its recovery codes and
 * pending login challenges are gone. 400 invalid_code, totp_not_enabled.
 */
export async function turnOffTotp(proof: TotpTurnOffProof): Promise<void> {
  const data = "code" in proof ? { code: proof.code.replace(/\s+/g, "") } : { recovery_code: proof.recoveryCode.trim() };
  await api.delete("/auth/mfa/totp/", { data });
}
