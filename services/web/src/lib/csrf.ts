// Django's CSRF cookie, which Axios copies into X-CSRFToken. Every feature that sends an unsafe
// request while the user may be signed in (cookie-authenticated) makes sure it exists first.
import { api } from "./api-client";

/** GET /api/auth/csrf/ → 204 and the csrftoken cookie that Axios echoes in X-CSRFToken. */
export async function getCsrf(): Promise<void> {
  await api.get("/auth/csrf/");
}

export function hasCsrfCookie(): boolean {
  return document.cookie.split(";").some((part) => part.trim().startsWith("csrftoken="));
}

/** Fetches the CSRF cookie only if the browser does not have one yet. */
export async function ensureCsrf(): Promise<void> {
  if (!hasCsrfCookie()) await getCsrf();
}
