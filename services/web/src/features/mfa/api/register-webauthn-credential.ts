import { api } from "../../../lib/api-client";
import type { WebauthnRegistered } from "../../../lib/api-types";
import type { RegistrationResponseJSON } from "../../../lib/webauthn";

/**
 * POST /api/auth/mfa/webauthn/register/ {name, credential} → 201 {credential, recovery_codes}
 * (recovery_codes non-empty only for the account's first factor). 400 invalid_credential.
 */
export async function registerWebauthnCredential(name: string, credential: RegistrationResponseJSON): Promise<WebauthnRegistered> {
  const response = await api.post<WebauthnRegistered>("/auth/mfa/webauthn/register/", { name, credential });
  return { credential: response.data.credential, recovery_codes: response.data.recovery_codes ?? [] };
}
