import { api } from "../../../lib/api-client";
import { ensureCsrf } from "./get-csrf";

/** POST /api/auth/logout/ → 204: revokes the token and clears the cookie. */
export async function logout(): Promise<void> {
  await ensureCsrf();
  await api.post("/auth/logout/", null, { skipSessionEnded: true });
}
