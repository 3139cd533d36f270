import { api } from "../../../lib/api-client.js";

/**
 * GET /api/auth/sessions/ → [{id, created, expiry, last_seen, user_agent, ip, current}],
 * newest first.
 */
export async function getSessions() {
  const response = await api.get("/auth/sessions/");
  return Array.isArray(response.data) ? response.data : [];
}
