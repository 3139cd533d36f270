import { api } from "../../../lib/api-client";

/** POST /api/auth/logout/ → 204: revokes the token and clears the cookie. */
export async function logout(): Promise<void> {
  await api.post("/auth/logout/", null, { skipSessionEnded: true });
}
