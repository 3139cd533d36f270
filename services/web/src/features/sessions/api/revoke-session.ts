import { api } from "../../../lib/api-client";

/** DELETE /api/auth/sessions/<id>/ → 204; another user's or an unknown id → 404. */
export async function revokeSession(id: string): Promise<void> {
  await api.delete(`/auth/sessions/${encodeURIComponent(id)}/`);
}
