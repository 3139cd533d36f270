import { api } from "../../../lib/api-client.js";

export async function confirmEmail(key) {
  const response = await api.post("/auth/email/confirm/", { key });
  return response.data;
}
