import { api } from "../../../lib/api-client.js";
import { ensureCsrf } from "./get-csrf.js";

/** POST /api/auth/logout/ → 204: revokes the token and clears the cookie. */
export async function logout() {
  await ensureCsrf();
  await api.post("/auth/logout/", null, { skipSessionEnded: true });
}
