// The one Axios instance the app uses. It always asks for the cookie transport, so the API keeps
// the token in an HttpOnly cookie that JavaScript never sees. Its request interceptor copies
// Django's csrftoken cookie into the X-CSRFToken header of every unsafe request (fetching the
// cookie first when the browser has none), so no API call has to think about CSRF. Every failure
// comes out of it as one plain object: {status, code, detail, fields, retryAfter}. A 403
// reauthentication_required ("sudo mode") is handled here too, once for every call: the
// registered prompt asks the user to confirm it's them, and the request is sent again, once.
// Every request names the page's language (Accept-Language), so the API's `detail` messages
// and field errors come in it.
import axios, { type InternalAxiosRequestConfig } from "axios";
import type { ErrorBody } from "./api-types";
import { currentLanguage, i18n } from "./i18n";

declare module "axios" {
  interface AxiosRequestConfig {
    /** The call expects a 401 (the start-up `me`, login): it does not mean the session ended. */
    skipSessionEnded?: boolean;
    /** A 403 reauthentication_required is passed on as it is, without asking (the reauth calls). */
    skipReauthentication?: boolean;
    /** Set on the one retry after a reauthentication: a second 403 is not asked about again. */
    reauthenticationRetry?: boolean;
  }
}

/** The API's messages per field, e.g. {email: ["Enter a valid email address."]}. */
export type FieldErrors = Record<string, string[]>;

/** What every failed call rejects with. `status` 0 means the server was not reached. */
export interface ApiError {
  status: number;
  code: string;
  detail: string;
  fields: FieldErrors;
  retryAfter: number | null;
}

export const api = axios.create({
  baseURL: "/api",
  withCredentials: true,
  // Django's names. Axios's own copying is off (it would put the token on GETs too): the
  // request interceptor below does it, for unsafe methods only, with these two names.
  xsrfCookieName: "csrftoken",
  xsrfHeaderName: "X-CSRFToken",
  withXSRFToken: false,
  headers: { "X-Auth-Transport": "cookie", Accept: "application/json" },
  timeout: 20000,
  // XMLHttpRequest, which every browser has and Axios prefers anyway; the production build leaves
  // Axios's fetch adapter out (scripts/without-axios-fetch-adapter.mjs).
  adapter: "xhr",
});

type SessionEndedListener = (error: ApiError) => void;
const sessionEndedListeners = new Set<SessionEndedListener>();

/**
 * The auth context subscribes here to hear about a 401 in the middle of a session (token
 * expired or revoked elsewhere). Returns the unsubscribe function.
 */
export function onSessionEnded(listener: SessionEndedListener): () => void {
  sessionEndedListeners.add(listener);
  return () => {
    sessionEndedListeners.delete(listener);
  };
}

/**
 * Asks the user to confirm it's them (app/reauth-provider.tsx shows the dialog) and resolves
 * true once POST reauthenticate/ succeeded, false if they cancelled.
 */
export type ReauthenticationPrompt = () => Promise<boolean>;

let reauthenticationPrompt: ReauthenticationPrompt | null = null;
let reauthenticationInFlight: Promise<boolean> | null = null;

/**
 * Registers the one prompt for 403 reauthentication_required; returns the function that
 * unregisters it. Without a prompt the 403 reaches the caller as it is.
 */
export function onReauthenticationRequired(prompt: ReauthenticationPrompt): () => void {
  reauthenticationPrompt = prompt;
  return () => {
    if (reauthenticationPrompt === prompt) reauthenticationPrompt = null;
  };
}

/** Requests refused together share one dialog: every one of them waits for the same answer. */
function askToReauthenticate(prompt: ReauthenticationPrompt): Promise<boolean> {
  reauthenticationInFlight ??= prompt()
    .catch(() => false)
    .finally(() => {
      reauthenticationInFlight = null;
    });
  return reauthenticationInFlight;
}

/** Retry-After is either delay-seconds or an HTTP date; returns whole seconds or null. */
export function parseRetryAfter(value: string | number | null | undefined, now: number = Date.now()): number | null {
  if (value === undefined || value === null || value === "") return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

interface ResponseLike {
  status: number;
  data?: unknown;
  headers?: unknown;
}

/** Retry-After from AxiosHeaders (get()) or a plain object of lower-case names. */
function retryAfterHeader(headers: unknown): string | number | null {
  if (!headers || typeof headers !== "object") return null;
  const get: unknown = (headers as { get?: unknown }).get;
  const value: unknown =
    typeof get === "function"
      ? (get as (name: string) => unknown).call(headers, "retry-after")
      : new Map(Object.entries(headers)).get("retry-after");
  return typeof value === "string" || typeof value === "number" ? value : null;
}

/** Turns whatever Axios rejected with into {status, code, detail, fields, retryAfter}. */
export function toApiError(error: unknown): ApiError {
  const failure = error && typeof error === "object" ? (error as { response?: ResponseLike; code?: unknown }) : {};
  const response = failure.response;
  if (!response) {
    const timedOut = failure.code === "ECONNABORTED" || failure.code === "ETIMEDOUT";
    return {
      status: 0,
      code: timedOut ? "timeout" : "network_error",
      detail: i18n.t(timedOut ? "errors.timeout" : "errors.network_error"),
      fields: {},
      retryAfter: null,
    };
  }
  // The gateway or a proxy may answer with HTML: fall back to generic wording then.
  const data: ErrorBody = response.data && typeof response.data === "object" ? response.data : {};
  return {
    status: response.status,
    code: typeof data.code === "string" ? data.code : "error",
    detail: typeof data.detail === "string" ? data.detail : i18n.t("errors.generic"),
    fields: data.fields && typeof data.fields === "object" ? (data.fields as FieldErrors) : {},
    retryAfter: parseRetryAfter(retryAfterHeader(response.headers)),
  };
}

/** Whether `value` is what the api client rejects with (a plain object, never an AxiosError). */
export function isApiError(value: unknown): value is ApiError {
  if (!value || typeof value !== "object" || value instanceof Error) return false;
  const candidate = value as Partial<ApiError>;
  return typeof candidate.status === "number" && typeof candidate.code === "string" && typeof candidate.detail === "string";
}

/**
 * A caught value as an ApiError: the client's own as it is; anything else (a bug, not an HTTP
 * failure) as a generic error, so forms still show "Something went wrong".
 */
export function asApiError(caught: unknown): ApiError {
  if (isApiError(caught)) return caught;
  return { status: 0, code: "error", detail: i18n.t("errors.generic"), fields: {}, retryAfter: null };
}

/** The endpoint that answers 204 with the csrftoken cookie (Set-Cookie). */
export const CSRF_PATH = "/auth/csrf/";

// Requests that change something: Django checks CSRF on these, never on GET, HEAD or OPTIONS.
const UNSAFE_METHODS = new Set(["post", "put", "patch", "delete"]);

/** A cookie's value as Axios reads it (URI-decoded), or null when the browser has none. */
function readCookie(name: string): string | null {
  for (const part of document.cookie.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return null;
}

let csrfRequest: Promise<void> | null = null;

/**
 * GET /api/auth/csrf/ → 204 and the csrftoken cookie. Callers at the same moment share one
 * request (the start-up load, and unsafe requests that found no cookie).
 */
export function getCsrf(): Promise<void> {
  csrfRequest ??= api
    .get(CSRF_PATH)
    .then(() => undefined)
    .finally(() => {
      csrfRequest = null;
    });
  return csrfRequest;
}

/**
 * Every unsafe request carries the CSRF token: from the cookie, which is fetched first (once,
 * however many requests are waiting) if the browser has none yet. If that fetch fails, the
 * request fails with its error and is not sent.
 */
export async function addCsrfHeader(config: InternalAxiosRequestConfig): Promise<InternalAxiosRequestConfig> {
  if (!UNSAFE_METHODS.has((config.method ?? "get").toLowerCase())) return config;
  const cookieName = config.xsrfCookieName ?? "csrftoken";
  const headerName = config.xsrfHeaderName ?? "X-CSRFToken";
  if (!readCookie(cookieName)) await getCsrf();
  const token = readCookie(cookieName);
  if (token) config.headers.set(headerName, token);
  return config;
}

/** Every request asks for the API's messages in the page's language, read when it is sent. */
export function addLanguageHeader(config: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
  config.headers.set("Accept-Language", currentLanguage());
  return config;
}

api.interceptors.request.use(addCsrfHeader);
api.interceptors.request.use(addLanguageHeader);

api.interceptors.response.use(
  (response) => response,
  async (error: unknown) => {
    // A request interceptor's failure arrives here too: the CSRF fetch's error, already an
    // ApiError whose 401 (if any) was reported when that fetch failed.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    if (isApiError(error)) return Promise.reject(error);
    const apiError = toApiError(error);
    // The initial `me` load and login expect 401s and opt out with `skipSessionEnded`.
    const config = error && typeof error === "object" ? (error as { config?: InternalAxiosRequestConfig }).config : undefined;
    if (apiError.status === 401 && !config?.skipSessionEnded) {
      sessionEndedListeners.forEach((listener) => listener(apiError));
    }
    // Sudo mode: the session must prove it is still its user. Ask (one dialog for every request
    // refused meanwhile), then send the same request again, once; if they cancel, the caller
    // gets the 403 and says so. The retry goes through the request interceptors again (CSRF).
    const prompt = reauthenticationPrompt;
    if (
      apiError.status === 403 &&
      apiError.code === "reauthentication_required" &&
      config &&
      prompt &&
      !config.skipReauthentication &&
      !config.reauthenticationRetry
    ) {
      if (await askToReauthenticate(prompt)) return api.request({ ...config, reauthenticationRetry: true });
    }
    // The app's callers read {status, code, …}: the rejection is that plain object, not an Error.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    return Promise.reject(apiError);
  },
);
