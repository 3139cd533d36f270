import { api } from "../../../lib/api-client.js";
import { ensureCsrf } from "../../../lib/csrf.js";

/** DELETE /api/auth/me/ {password} → 204. A wrong password → 400 invalid_password. */
export async function deleteAccount({ password }) {
  await ensureCsrf();
  await api.delete("/auth/me/", { data: { password } });
}
