// A fake API behind the real Axios instance: requests go through the real interceptors and
// error handling, but a test adapter answers them instead of the network.
import { AxiosError, type AxiosAdapter, type InternalAxiosRequestConfig } from "axios";
import { afterEach } from "vitest";
import { api } from "../lib/api-client";

const original = api.defaults.adapter;
afterEach(() => {
  api.defaults.adapter = original;
});

export const ada = {
  id: 1,
  email: "ada@example.com",
  username: "ada",
  email_confirmed: true,
  date_joined: "2026-11-21T18:00:00Z",
  roles: ["member", "staff"],
  language: "en" as const,
};

export const admin = { ...ada, id: 9, email: "root@example.com", username: "root", roles: ["admin", "member"] };

export const anonymous = { status: 401, data: { code: "not_authenticated", detail: "Authentication credentials were not provided." } };

/** What a browser does when GET /api/auth/csrf/ answers with Set-Cookie. */
export const csrfEndpoint = (): FakeResponse => {
  document.cookie = "csrftoken=test-csrf-token; path=/";
  return { status: 204 };
};

/** A canned answer: {status, data?, headers?}. */
export interface FakeResponse {
  status: number;
  data?: unknown;
  headers?: Record<string, string>;
}

/** One request the fake API received. `body` is the parsed JSON body, or null. */
export interface FakeCall {
  method: string;
  url: string | undefined;
  params: Record<string, unknown> | null;
  body: Record<string, unknown> | null;
  headers: Record<string, unknown>;
}

export type FakeRoute = FakeResponse | ((call: FakeCall) => FakeResponse | Promise<FakeResponse>);

/** Resolves later, when the test says so: for "while the request is in flight" checks. */
export function deferred<T = FakeResponse>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/**
 * routes: {"POST /auth/login/": response | ({body, headers}) => response | Promise<response>}
 * where a response is {status, data?, headers?}. Unknown routes answer 404. By default the
 * CSRF endpoint sets the cookie and `me` says "anonymous".
 */
export function fakeApi(routes: Record<string, FakeRoute> = {}) {
  const table = new Map<string, FakeRoute>(Object.entries({ "GET /auth/csrf/": csrfEndpoint, "GET /auth/me/": anonymous, ...routes }));
  const calls: FakeCall[] = [];
  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    const method = (config.method ?? "get").toUpperCase();
    const body = (typeof config.data === "string" ? JSON.parse(config.data) : (config.data ?? null)) as FakeCall["body"];
    const headers = config.headers.toJSON();
    // Query parameters passed as `params` are in call.params; routes match on the path alone.
    const params = (config.params as Record<string, unknown> | undefined) ?? null;
    const call: FakeCall = { method, url: config.url, params, body, headers };
    calls.push(call);
    const route = table.get(`${method} ${config.url}`);
    const answer =
      typeof route === "function"
        ? await route(call)
        : (route ?? { status: 404, data: { code: "not_found", detail: "Not found." } });
    const response = {
      status: answer.status,
      statusText: "",
      data: answer.data ?? "",
      headers: answer.headers ?? {},
      config,
      request: {},
    };
    if (response.status >= 200 && response.status < 300) return response;
    throw new AxiosError(`Request failed with status code ${response.status}`, "ERR_BAD_REQUEST", config, {}, response);
  };
  api.defaults.adapter = adapter;
  return {
    calls,
    /** The calls to one route, e.g. callsTo("POST /auth/login/"). */
    callsTo: (key: string) => calls.filter((call) => `${call.method} ${call.url}` === key),
  };
}
