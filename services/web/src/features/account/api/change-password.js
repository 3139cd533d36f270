import { api } from "../../../lib/api-client.js";
import { ensureCsrf } from "../../../lib/csrf.js";

/**
 * POST /api/auth/password/change/ {current_password, new_password} → 200 {detail}. A wrong
 * current password → 400 invalid_password. Every other session is revoked.
 */
export async function changePassword({ currentPassword, newPassword }) {
  await ensureCsrf();
  const response = await api.post("/auth/password/change/", {
    current_password: currentPassword,
    new_password: newPassword,
  });
  return response.data;
}
