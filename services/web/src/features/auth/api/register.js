import { api } from "../../../lib/api-client.js";

export async function register({ email, password, username }) {
  const body = { email, password };
  if (username) body.username = username;
  const response = await api.post("/auth/register/", body);
  return response.data;
}
