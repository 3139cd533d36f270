import { api } from "../../../lib/api-client";
import type { LoginResponse } from "../../../lib/api-types";
import type { AuthenticationResponseJSON } from "../../../lib/webauthn";

/**
 * POST /api/auth/login/passkey/ {credential} → the login's answer with its session (never
 * mfa_required: a passkey with user verification is two factors). 400 invalid_credential.
 */
export async function finishPasskeyLogin(credential: AuthenticationResponseJSON): Promise<LoginResponse> {
  const response = await api.post<LoginResponse>("/auth/login/passkey/", { credential }, { skipSessionEnded: true });
  return response.data;
}
