import { api } from "../../../lib/api-client.js";

/** POST /api/auth/register/ → 201 {detail}. The username is optional and left out when blank. */
export async function register({ email, username, password }) {
  const body = { email: email.trim(), password };
  if (username && username.trim()) body.username = username.trim();
  const response = await api.post("/auth/register/", body);
  return response.data;
}
