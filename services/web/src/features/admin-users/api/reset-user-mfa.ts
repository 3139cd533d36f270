import { api } from "../../../lib/api-client";

/**
 * POST /api/admin/users/<id>/mfa/reset/ → 204: every second factor and recovery code of the
 * user is removed, and the user is mailed. For someone locked out of their account.
 */
export async function resetUserMfa(id: number): Promise<void> {
  await api.post(`/admin/users/${encodeURIComponent(id)}/mfa/reset/`, null);
}
