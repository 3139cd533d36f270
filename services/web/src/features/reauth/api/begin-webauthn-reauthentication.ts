import { api } from "../../../lib/api-client";
import type { WebauthnOptions } from "../../../lib/api-types";
import type { PublicKeyCredentialRequestOptionsJSON } from "../../../lib/webauthn";

/** POST /api/auth/reauthenticate/webauthn/begin/ → {options} for one of the account's credentials. */
export async function beginWebauthnReauthentication(): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const response = await api.post<WebauthnOptions<PublicKeyCredentialRequestOptionsJSON>>(
    "/auth/reauthenticate/webauthn/begin/",
    null,
    { skipReauthentication: true },
  );
  return response.data.options;
}
