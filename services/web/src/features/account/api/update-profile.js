import { api } from "../../../lib/api-client.js";
import { ensureCsrf } from "../../../lib/csrf.js";

/**
 * PATCH /api/auth/me/ {username, first_name, last_name} → 200 and the user. A blank username
 * is sent as "" and removes it.
 */
export async function updateProfile({ username, firstName, lastName }) {
  await ensureCsrf();
  const response = await api.patch("/auth/me/", {
    username: username.trim(),
    first_name: firstName.trim(),
    last_name: lastName.trim(),
  });
  return response.data;
}
