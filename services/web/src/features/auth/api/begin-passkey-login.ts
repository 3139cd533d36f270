import { api } from "../../../lib/api-client";
import type { WebauthnOptions } from "../../../lib/api-types";
import type { PublicKeyCredentialRequestOptionsJSON } from "../../../lib/webauthn";

/** POST /api/auth/login/passkey/begin/ → {options}: usernameless, so no account is named. */
export async function beginPasskeyLogin(): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const response = await api.post<WebauthnOptions<PublicKeyCredentialRequestOptionsJSON>>("/auth/login/passkey/begin/", null, {
    skipSessionEnded: true,
  });
  return response.data.options;
}
