import { api } from "../../../lib/api-client.js";
import { ensureCsrf } from "../../../lib/csrf.js";

/** DELETE /api/auth/sessions/<id>/ → 204; another user's or an unknown id → 404. */
export async function revokeSession(id) {
  await ensureCsrf();
  await api.delete(`/auth/sessions/${encodeURIComponent(id)}/`);
}
