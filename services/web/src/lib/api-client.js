// The one Axios instance. It always asks for the cookie transport, so the API puts the token
// in an HttpOnly cookie and JavaScript never sees it; Axios copies Django's CSRF cookie into
// the X-CSRFToken header on unsafe requests.
import axios from "axios";

export const api = axios.create({
  baseURL: "/api",
  withCredentials: true,
  xsrfCookieName: "csrftoken",
  xsrfHeaderName: "X-CSRFToken",
  withXSRFToken: true,
  headers: { "X-Auth-Transport": "cookie", Accept: "application/json" },
  timeout: 20000,
});

let sessionEndedListener = null;

/** The auth context registers here to hear about a 401 in the middle of a session. */
export function onSessionEnded(listener) {
  sessionEndedListener = listener;
  return () => {
    if (sessionEndedListener === listener) sessionEndedListener = null;
  };
}

/** Every failure becomes {status, code, detail, fields, retryAfter}. */
export function toApiError(error) {
  const response = error.response;
  if (!response) {
    return { status: 0, code: "network_error", detail: "Cannot reach the server. Check your connection.", fields: {} };
  }
  const data = response.data && typeof response.data === "object" ? response.data : {};
  const retryAfter = Number.parseInt(response.headers?.["retry-after"] ?? "", 10);
  return {
    status: response.status,
    code: data.code ?? "error",
    detail: data.detail ?? "Something went wrong. Please try again.",
    fields: data.fields ?? {},
    retryAfter: Number.isNaN(retryAfter) ? null : retryAfter,
  };
}

api.interceptors.response.use(
  (response) => response,
  (error) => {
    const apiError = toApiError(error);
    if (apiError.status === 401 && !error.config?.skipSessionEnded && sessionEndedListener) {
      sessionEndedListener();
    }
    return Promise.reject(apiError);
  },
);
