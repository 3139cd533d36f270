import { api } from "../../../lib/api-client.js";

/** GET /api/auth/csrf/ → 204 and the csrftoken cookie that Axios echoes in X-CSRFToken. */
export async function getCsrf() {
  await api.get("/auth/csrf/");
}

export function hasCsrfCookie() {
  return document.cookie.split(";").some((part) => part.trim().startsWith("csrftoken="));
}

/** Fetches the CSRF cookie only if the browser does not have one yet. */
export async function ensureCsrf() {
  if (!hasCsrfCookie()) await getCsrf();
}
