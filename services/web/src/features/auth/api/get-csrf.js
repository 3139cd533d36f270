import { api } from "../../../lib/api-client.js";

/** Sets the csrftoken cookie that Axios echoes in X-CSRFToken. */
export async function getCsrf() {
  await api.get("/auth/csrf/");
}

export function hasCsrfCookie() {
  return document.cookie.split(";").some((part) => part.trim().startsWith("csrftoken="));
}
