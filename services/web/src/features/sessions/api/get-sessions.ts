import { api } from "../../../lib/api-client";
import type { Session } from "../../../lib/api-types";

/**
 * GET /api/auth/sessions/ → [{id, created, expiry, last_seen, user_agent, ip, current}],
 * newest first.
 */
export async function getSessions(): Promise<Session[]> {
  const response = await api.get<unknown>("/auth/sessions/");
  return Array.isArray(response.data) ? (response.data as Session[]) : [];
}
