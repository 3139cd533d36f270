import { api } from "../../../lib/api-client.js";
import { ensureCsrf } from "../../../lib/csrf.js";

/**
 * POST /api/auth/password/reset/verify/ {uid, token} → 200 {detail}; 400 invalid_reset otherwise.
 * Does not use the link up.
 */
export async function verifyResetLink({ uid, token }) {
  await ensureCsrf();
  const response = await api.post("/auth/password/reset/verify/", { uid, token });
  return response.data;
}
