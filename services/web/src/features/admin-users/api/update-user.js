import { api } from "../../../lib/api-client.js";
import { ensureCsrf } from "../../../lib/csrf.js";

/**
 * PATCH /api/admin/users/<id>/ {is_active?, roles?} → 200 and the user. Deactivating yourself or
 * dropping your own admin role → 400 validation_error.
 */
export async function updateUser(id, changes) {
  await ensureCsrf();
  const response = await api.patch(`/admin/users/${encodeURIComponent(id)}/`, changes);
  return response.data;
}
