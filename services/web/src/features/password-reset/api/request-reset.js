import { api } from "../../../lib/api-client.js";
import { ensureCsrf } from "../../../lib/csrf.js";

/** POST /api/auth/password/reset/ {email} → 202 {detail}, the same whatever the address. */
export async function requestReset(email) {
  await ensureCsrf();
  const response = await api.post("/auth/password/reset/", { email: email.trim() });
  return response.data;
}
