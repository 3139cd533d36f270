import { api } from "../../../lib/api-client.js";
import { ensureCsrf } from "../../../lib/csrf.js";

/**
 * POST /api/auth/password/reset/confirm/ with {uid, token, new_password} (from the link) or
 * {email, code, new_password} (from the code) → 200 {detail}. 400 invalid_reset for a bad link
 * or code, 400 validation_error on new_password for a weak password.
 */
export async function confirmReset({ uid, token, email, code, newPassword }) {
  await ensureCsrf();
  const body =
    uid !== undefined
      ? { uid, token, new_password: newPassword }
      : { email: email.trim(), code: code.replace(/\s+/g, ""), new_password: newPassword };
  const response = await api.post("/auth/password/reset/confirm/", body);
  return response.data;
}
