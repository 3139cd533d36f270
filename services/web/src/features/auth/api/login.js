import { api } from "../../../lib/api-client.js";
import { getCsrf, hasCsrfCookie } from "./get-csrf.js";

/** Logs in by email when the identifier has an "@", by username otherwise. */
export async function login({ identifier, password }) {
  if (!hasCsrfCookie()) await getCsrf();
  const key = identifier.includes("@") ? "email" : "username";
  const response = await api.post("/auth/login/", { [key]: identifier.trim(), password }, { skipSessionEnded: true });
  return response.data;
}
