import { api } from "../../../lib/api-client";
import type { WebauthnCredential } from "../../../lib/api-types";

/** GET /api/auth/mfa/webauthn/ → [{id, name, passwordless, created_at, last_used_at}]. */
export async function getWebauthnCredentials(): Promise<WebauthnCredential[]> {
  const response = await api.get<unknown>("/auth/mfa/webauthn/");
  return Array.isArray(response.data) ? (response.data as WebauthnCredential[]) : [];
}
