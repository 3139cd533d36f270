import { api, isApiError } from "../../../lib/api-client";

/**
 * POST /api/auth/logout-all/ → 204: revokes every token of the user, this one included. A 401
 * means this session was already over, which is the point anyway.
 */
export async function logoutAll(): Promise<void> {
  try {
    await api.post("/auth/logout-all/", null, { skipSessionEnded: true });
  } catch (error) {
    if (!isApiError(error) || error.status !== 401) throw error;
  }
}
