import { api } from "../../../lib/api-client";
import type { WebauthnOptions } from "../../../lib/api-types";
import type { PublicKeyCredentialCreationOptionsJSON } from "../../../lib/webauthn";

/**
 * POST /api/auth/mfa/webauthn/register/begin/ {passwordless} → {options}. passwordless=true asks
 * for a passkey (resident key, user verification); false for a security key as a second factor.
 */
export async function beginWebauthnRegistration(passwordless: boolean): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const response = await api.post<WebauthnOptions<PublicKeyCredentialCreationOptionsJSON>>(
    "/auth/mfa/webauthn/register/begin/",
    { passwordless },
  );
  return response.data.options;
}
