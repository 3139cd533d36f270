import { api } from "../../../lib/api-client";
import type { RecoveryCodes } from "../../../lib/api-types";

/**
 * POST /api/auth/mfa/recovery-codes/ → {recovery_codes: [10]}; the old set stops working.
 * 400 mfa_not_enabled (no factor to recover).
 */
export async function regenerateRecoveryCodes(): Promise<RecoveryCodes> {
  const response = await api.post<RecoveryCodes>("/auth/mfa/recovery-codes/", null);
  return response.data;
}
