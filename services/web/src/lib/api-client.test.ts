import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from "vitest";
import { api, onSessionEnded, parseRetryAfter, toApiError, type ApiError } from "./api-client";
import { i18n, setLanguage } from "./i18n";

interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** Just enough of XMLHttpRequest for Axios's xhr adapter, answering with `reply`. */
interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  withCredentials: boolean;
}

function fakeXhr(reply: (request: SentRequest) => Reply) {
  const sent: SentRequest[] = [];
  class FakeXMLHttpRequest implements SentRequest {
    headers: Record<string, string> = {};
    readyState = 0;
    onloadend: (() => void) | null = null;
    upload = { addEventListener() {}, removeEventListener() {} };
    method = "";
    url = "";
    body: unknown = undefined;
    reply: Reply = { status: 0 };
    status = 0;
    statusText = "";
    responseText = "";
    response = "";
    withCredentials = false;
    constructor() {
      sent.push(this);
    }
    open(method: string, url: string) {
      this.method = method;
      this.url = url;
      this.readyState = 1;
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name.toLowerCase()] = value;
    }
    addEventListener() {}
    removeEventListener() {}
    abort() {}
    getAllResponseHeaders() {
      return Object.entries(this.reply.headers ?? {})
        .map(([name, value]) => `${name}: ${value}`)
        .join("\r\n");
    }
    send(body: unknown) {
      this.body = body;
      this.reply = reply(this);
      queueMicrotask(() => {
        this.readyState = 4;
        this.status = this.reply.status;
        this.statusText = "";
        this.responseText = this.reply.body ?? "";
        this.response = this.responseText;
        this.onloadend?.();
      });
    }
  }
  vi.stubGlobal("XMLHttpRequest", FakeXMLHttpRequest);
  return sent;
}

const json = (status: number, data: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body: JSON.stringify(data),
  headers: { "content-type": "application/json", ...headers },
});

describe("the api client", () => {
  it("is configured for the cookie transport and Django's CSRF names", () => {
    expect(api.defaults.baseURL).toBe("/api");
    expect(api.defaults.withCredentials).toBe(true);
    // Axios's own copying would put the token on GETs too; the request interceptor does it instead.
    expect(api.defaults.withXSRFToken).toBe(false);
    expect(api.defaults.xsrfCookieName).toBe("csrftoken");
    expect(api.defaults.xsrfHeaderName).toBe("X-CSRFToken");
    expect(api.defaults.headers["X-Auth-Transport"]).toBe("cookie");
    expect(api.defaults.headers.Accept).toBe("application/json");
  });
});

describe("the api client on the wire", () => {
  beforeEach(() => {
    document.cookie = "csrftoken=cookie-value; path=/";
  });

  it("asks for the cookie transport and JSON, under /api, with credentials", async () => {
    const sent = fakeXhr(() => json(200, { id: 1 }));
    const response = await api.get("/auth/me/");
    expect(response.data).toEqual({ id: 1 });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.method).toBe("GET");
    expect(sent[0]?.url).toBe("/api/auth/me/");
    expect(sent[0]?.headers["x-auth-transport"]).toBe("cookie");
    expect(sent[0]?.headers.accept).toBe("application/json");
    expect(sent[0]?.withCredentials).toBe(true);
    expect(sent[0]?.headers.authorization).toBeUndefined();
  });

  it("asks for the API's messages in the page's language, as it is when each request goes", async () => {
    const sent = fakeXhr(() => json(200, {}));
    await api.get("/auth/me/");
    await setLanguage("de");
    await api.post("/auth/login/", {});
    await i18n.changeLanguage("en");
    await api.get("/auth/mfa/");
    expect(sent.map((request) => request.headers["accept-language"])).toEqual(["en", "de", "en"]);
  });

  it("says a network failure in the page's language", async () => {
    await i18n.changeLanguage("de");
    const network = toApiError({ code: "ERR_NETWORK" });
    expect(network).toMatchObject({ status: 0, code: "network_error" });
    expect(network.detail).toMatch(/^Der Server ist nicht erreichbar/);
    const timeout = toApiError({ code: "ECONNABORTED" });
    expect(timeout).toMatchObject({ status: 0, code: "timeout" });
    expect(timeout.detail).toMatch(/zu lange/);
  });

  it("copies the csrftoken cookie into X-CSRFToken", async () => {
    const sent = fakeXhr(() => ({ status: 204 }));
    await api.post("/auth/logout/", null);
    expect(sent[0]?.headers["x-csrftoken"]).toBe("cookie-value");
  });

  it("rejects with {status, code, detail, fields, retryAfter}", async () => {
    fakeXhr(() => json(429, { code: "throttled", detail: "Request was throttled." }, { "retry-after": "17" }));
    await expect(api.post("/auth/login/", { username: "ada", password: "x" })).rejects.toEqual({
      status: 429,
      code: "throttled",
      detail: "Request was throttled.",
      fields: {},
      retryAfter: 17,
    });
  });

  it("keeps the fields of a validation error", async () => {
    const fields = { email: ["Enter a valid email address."] };
    fakeXhr(() => json(400, { code: "validation_error", detail: "Some fields are invalid.", fields }));
    await expect(api.post("/auth/register/", {})).rejects.toMatchObject({ status: 400, fields });
  });
});

describe("the CSRF header", () => {
  const csrfUrl = "/api/auth/csrf/";

  it.each(["post", "put", "patch", "delete"])("goes on every %s, from the csrftoken cookie", async (method) => {
    document.cookie = "csrftoken=cookie-value; path=/";
    const sent = fakeXhr(() => ({ status: 204 }));
    await api.request({ method, url: "/auth/something/", data: {} });
    expect(sent.map((request) => `${request.method} ${request.url}`)).toEqual([`${method.toUpperCase()} /api/auth/something/`]);
    expect(sent[0]?.headers["x-csrftoken"]).toBe("cookie-value");
  });

  it.each(["get", "head", "options"])("never goes on a %s", async (method) => {
    document.cookie = "csrftoken=cookie-value; path=/";
    const sent = fakeXhr(() => ({ status: 204 }));
    await api.request({ method, url: "/auth/me/" });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers).not.toHaveProperty("x-csrftoken");
  });

  it("is fetched first when the browser has no cookie, once for requests sent together", async () => {
    const sent = fakeXhr((request) => {
      if (request.url === csrfUrl) document.cookie = "csrftoken=fresh-value; path=/";
      return { status: 204 };
    });
    await Promise.all([api.post("/auth/a/", {}), api.delete("/auth/b/"), api.patch("/auth/c/", {})]);
    expect(sent.map((request) => `${request.method} ${request.url}`)).toEqual([
      `GET ${csrfUrl}`,
      "POST /api/auth/a/",
      "DELETE /api/auth/b/",
      "PATCH /api/auth/c/",
    ]);
    expect(sent.slice(1).map((request) => request.headers["x-csrftoken"])).toEqual(["fresh-value", "fresh-value", "fresh-value"]);
    // The cookie is there now: no second fetch.
    await api.put("/auth/d/", {});
    expect(sent.filter((request) => request.url === csrfUrl)).toHaveLength(1);
    expect(sent.at(-1)?.headers["x-csrftoken"]).toBe("fresh-value");
  });

  it("is not fetched for a safe request without the cookie", async () => {
    const sent = fakeXhr(() => json(200, { id: 1 }));
    await api.get("/auth/me/");
    expect(sent.map((request) => request.url)).toEqual(["/api/auth/me/"]);
  });

  it("fails the unsafe request, unsent, with the fetch's own error when the cookie cannot be had", async () => {
    const sent = fakeXhr((request) =>
      request.url === csrfUrl ? json(503, { code: "service_unavailable", detail: "Down." }) : { status: 204 },
    );
    await expect(api.post("/auth/logout/", null)).rejects.toEqual({
      status: 503,
      code: "service_unavailable",
      detail: "Down.",
      fields: {},
      retryAfter: null,
    });
    expect(sent.map((request) => request.url)).toEqual([csrfUrl]);
  });

  it("is fetched again on the next unsafe request after a failed fetch", async () => {
    let attempts = 0;
    const sent = fakeXhr((request) => {
      if (request.url !== csrfUrl) return { status: 204 };
      attempts += 1;
      if (attempts === 1) return json(502, { code: "bad_gateway", detail: "Down." });
      document.cookie = "csrftoken=second-try; path=/";
      return { status: 204 };
    });
    await expect(api.post("/auth/logout/", null)).rejects.toMatchObject({ status: 502 });
    await api.post("/auth/logout/", null);
    expect(sent.map((request) => request.url)).toEqual([csrfUrl, csrfUrl, "/api/auth/logout/"]);
    expect(sent.at(-1)?.headers["x-csrftoken"]).toBe("second-try");
  });
});

describe("session ended notifications", () => {
  let listener: Mock<(error: ApiError) => void>;
  let unsubscribe: () => void;
  beforeEach(() => {
    listener = vi.fn<(error: ApiError) => void>();
    unsubscribe = onSessionEnded(listener);
  });
  afterEach(() => unsubscribe());

  it("fire on a 401 from an ordinary call", async () => {
    fakeXhr(() => json(401, { code: "authentication_failed", detail: "Invalid or expired token." }));
    await expect(api.post("/auth/something/", {})).rejects.toMatchObject({ status: 401 });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it("stay quiet for calls that expect a 401 (the initial me, login)", async () => {
    fakeXhr(() => json(401, { code: "not_authenticated", detail: "No." }));
    await expect(api.get("/auth/me/", { skipSessionEnded: true })).rejects.toMatchObject({ status: 401 });
    expect(listener).not.toHaveBeenCalled();
  });

  it("stay quiet for other errors", async () => {
    fakeXhr(() => json(403, { code: "csrf_failed", detail: "CSRF check failed." }));
    await expect(api.post("/auth/logout/")).rejects.toMatchObject({ status: 403, code: "csrf_failed" });
    expect(listener).not.toHaveBeenCalled();
  });
});

describe("toApiError", () => {
  it("describes a network failure", () => {
    expect(toApiError(new Error("Network Error"))).toMatchObject({ status: 0, code: "network_error", retryAfter: null });
  });

  it("describes a timeout", () => {
    expect(toApiError({ code: "ECONNABORTED" })).toMatchObject({ status: 0, code: "timeout" });
  });

  it("survives a non-JSON error body from a proxy", () => {
    const error = toApiError({ response: { status: 502, data: "<html>", headers: {} } });
    expect(error).toEqual({
      status: 502,
      code: "error",
      detail: "Something went wrong. Please try again.",
      fields: {},
      retryAfter: null,
    });
  });
});

describe("parseRetryAfter", () => {
  it("reads delay-seconds", () => {
    expect(parseRetryAfter("120")).toBe(120);
    expect(parseRetryAfter(" 5 ")).toBe(5);
  });

  it("reads an HTTP date", () => {
    const now = Date.parse("2026-11-21T18:00:00Z");
    expect(parseRetryAfter("Sat, 21 Nov 2026 18:00:30 GMT", now)).toBe(30);
    expect(parseRetryAfter("Sat, 21 Nov 2026 17:00:00 GMT", now)).toBe(0);
  });

  it("ignores what it cannot read", () => {
    expect(parseRetryAfter(undefined)).toBeNull();
    expect(parseRetryAfter("")).toBeNull();
    expect(parseRetryAfter("soon")).toBeNull();
  });
});
