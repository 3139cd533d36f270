import { api } from "../../../lib/api-client.js";

/** GET /api/auth/me/ → the signed-in user; 401 simply means "anonymous" here. */
export async function getMe() {
  const response = await api.get("/auth/me/", { skipSessionEnded: true });
  return response.data;
}
