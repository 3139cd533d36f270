import { api } from "../../../lib/api-client";
import type { AdminUser, AdminUserChanges } from "../../../lib/api-types";

/**
 * PATCH /api/admin/users/<id>/ {is_active?, roles?} → 200 and the user. Deactivating yourself or
 * dropping your own admin role → 400 validation_error.
 */
export async function updateUser(id: number, changes: AdminUserChanges): Promise<AdminUser> {
  const response = await api.patch<AdminUser>(`/admin/users/${encodeURIComponent(id)}/`, changes);
  return response.data;
}
