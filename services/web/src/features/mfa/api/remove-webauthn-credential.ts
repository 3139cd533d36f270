import { api } from "../../../lib/api-client";

/** DELETE /api/auth/mfa/webauthn/<id>/ → 204. 404 not_found; 403 reauthentication_required. */
export async function removeWebauthnCredential(id: number): Promise<void> {
  await api.delete(`/auth/mfa/webauthn/${encodeURIComponent(id)}/`);
}
