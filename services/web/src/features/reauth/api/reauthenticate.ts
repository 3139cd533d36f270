import { api } from "../../../lib/api-client";
import type { Reauthenticated } from "../../../lib/api-types";
import type { AuthenticationResponseJSON } from "../../../lib/webauthn";

/** One proof that the person at the keyboard is the account's owner. */
export type ReauthenticationProof = { password: string } | { code: string } | { credential: AuthenticationResponseJSON };

/**
 * POST /api/auth/reauthenticate/ {password} | {code} | {credential} → {reauthenticated_until}.
 * 400 invalid_password / invalid_code / invalid_credential; 429. It never asks for itself.
 */
export async function reauthenticate(proof: ReauthenticationProof): Promise<Reauthenticated> {
  const body = "code" in proof ? { code: proof.code.replace(/\s+/g, "") } : proof;
  const response = await api.post<Reauthenticated>("/auth/reauthenticate/", body, { skipReauthentication: true });
  return response.data;
}
