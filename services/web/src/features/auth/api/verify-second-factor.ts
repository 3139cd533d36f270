import { api } from "../../../lib/api-client";
import type { LoginResponse } from "../../../lib/api-types";
import type { AuthenticationResponseJSON } from "../../../lib/webauthn";

/** One second factor: a code from the app, a recovery code, or a security key's assertion. */
export type SecondFactor = { code: string } | { recoveryCode: string } | { credential: AuthenticationResponseJSON };

/**
 * POST /api/auth/login/mfa/ {challenge, code | recovery_code | credential} → the login's answer
 * with its session. 400 invalid_code (the challenge lives on), invalid_challenge (start the login
 * again), invalid_credential; 429.
 */
export async function verifySecondFactor(challenge: string, factor: SecondFactor): Promise<LoginResponse> {
  const body =
    "code" in factor
      ? { challenge, code: factor.code.replace(/\s+/g, "") }
      : "recoveryCode" in factor
        ? { challenge, recovery_code: factor.recoveryCode.trim() }
        : { challenge, credential: factor.credential };
  const response = await api.post<LoginResponse>("/auth/login/mfa/", body, { skipSessionEnded: true });
  return response.data;
}
