import { api } from "../../../lib/api-client.js";

export async function logout() {
  await api.post("/auth/logout/", null, { skipSessionEnded: true });
}
