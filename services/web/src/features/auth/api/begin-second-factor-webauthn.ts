import { api } from "../../../lib/api-client";
import type { WebauthnOptions } from "../../../lib/api-types";
import type { PublicKeyCredentialRequestOptionsJSON } from "../../../lib/webauthn";

/** POST /api/auth/login/mfa/webauthn/begin/ {challenge} → {options} for the security key. */
export async function beginSecondFactorWebauthn(challenge: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const response = await api.post<WebauthnOptions<PublicKeyCredentialRequestOptionsJSON>>(
    "/auth/login/mfa/webauthn/begin/",
    { challenge },
    { skipSessionEnded: true },
  );
  return response.data.options;
}
