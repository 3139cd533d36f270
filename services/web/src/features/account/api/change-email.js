import { api } from "../../../lib/api-client.js";
import { ensureCsrf } from "../../../lib/csrf.js";

/**
 * POST /api/auth/email/change/ {new_email, password} → 202 {detail}; the address changes when
 * the link sent to it is opened. A wrong password → 400 invalid_password.
 */
export async function changeEmail({ newEmail, password }) {
  await ensureCsrf();
  const response = await api.post("/auth/email/change/", { new_email: newEmail.trim(), password });
  return response.data;
}
