import { api } from "../../../lib/api-client";
import type { WebauthnCredential } from "../../../lib/api-types";

/** PATCH /api/auth/mfa/webauthn/<id>/ {name} → 200 and the item. 404 not_found. */
export async function renameWebauthnCredential(id: number, name: string): Promise<WebauthnCredential> {
  const response = await api.patch<WebauthnCredential>(`/auth/mfa/webauthn/${encodeURIComponent(id)}/`, { name: name.trim() });
  return response.data;
}
