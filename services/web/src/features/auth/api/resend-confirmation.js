import { api } from "../../../lib/api-client.js";
import { ensureCsrf } from "../../../lib/csrf.js";

/** POST /api/auth/email/resend/ {email} → 202 {detail}, the same whatever the address. */
export async function resendConfirmation(email) {
  await ensureCsrf();
  const response = await api.post("/auth/email/resend/", { email: email.trim() });
  return response.data;
}
