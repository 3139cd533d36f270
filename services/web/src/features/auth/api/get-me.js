import { api } from "../../../lib/api-client.js";

export async function getMe() {
  const response = await api.get("/auth/me/", { skipSessionEnded: true });
  return response.data;
}
