// The one Axios instance the app uses. It always asks for the cookie transport, so the API keeps
// the token in an HttpOnly cookie that JavaScript never sees, and Axios copies Django's
// csrftoken cookie into the X-CSRFToken header. Every failure comes out of it as one plain
// object: {status, code, detail, fields, retryAfter}.
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

const sessionEndedListeners = new Set();

/**
 * The auth context subscribes here to hear about a 401 in the middle of a session (token
 * expired or revoked elsewhere). Returns the unsubscribe function.
 */
export function onSessionEnded(listener) {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

/** Retry-After is either delay-seconds or an HTTP date; returns whole seconds or null. */
export function parseRetryAfter(value, now = Date.now()) {
  if (value === undefined || value === null || value === "") return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** Turns whatever Axios rejected with into {status, code, detail, fields, retryAfter}. */
export function toApiError(error) {
  const response = error?.response;
  if (!response) {
    const timedOut = error?.code === "ECONNABORTED" || error?.code === "ETIMEDOUT";
    return {
      status: 0,
      code: timedOut ? "timeout" : "network_error",
      detail: timedOut
        ? "The server took too long to answer. Please try again."
        : "Cannot reach the server. Check your connection and try again.",
      fields: {},
      retryAfter: null,
    };
  }
  // The gateway or a proxy may answer with HTML: fall back to generic wording then.
  const data = response.data && typeof response.data === "object" ? response.data : {};
  const headers = response.headers ?? {};
  const retryAfter = typeof headers.get === "function" ? headers.get("retry-after") : headers["retry-after"];
  return {
    status: response.status,
    code: typeof data.code === "string" ? data.code : "error",
    detail: typeof data.detail === "string" ? data.detail : "Something went wrong. Please try again.",
    fields: data.fields && typeof data.fields === "object" ? data.fields : {},
    retryAfter: parseRetryAfter(retryAfter),
  };
}

api.interceptors.response.use(
  (response) => response,
  (error) => {
    const apiError = toApiError(error);
    // The initial `me` load and login expect 401s and opt out with `skipSessionEnded`.
    if (apiError.status === 401 && !error?.config?.skipSessionEnded) {
      sessionEndedListeners.forEach((listener) => listener(apiError));
    }
    return Promise.reject(apiError);
  },
);
