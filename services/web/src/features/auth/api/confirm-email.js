import { api } from "../../../lib/api-client.js";

/** POST /api/auth/email/confirm/ {key} → 200 {detail}; a used or expired key → 400 invalid_key. */
export async function confirmEmail(key) {
  const response = await api.post("/auth/email/confirm/", { key });
  return response.data;
}
