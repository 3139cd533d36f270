import { describe, expect, it } from "vitest";
import { ada, fakeApi } from "../../../testing/fake-api";
import { login } from "./login";

const ok = { status: 200, data: { expiry: "2026-11-22T04:00:00Z", user: ada } };

describe("login", () => {
  it("sends a username when the identifier has no @", async () => {
    document.cookie = "csrftoken=abc; path=/";
    const server = fakeApi({ "POST /auth/login/": ok });
    await expect(login({ identifier: "ada", password: "pw" })).resolves.toEqual(ok.data);
    expect(server.callsTo("POST /auth/login/")[0]?.body).toEqual({ username: "ada", password: "pw" });
  });

  it("sends an email when it has one, trimmed, and the password exactly as typed", async () => {
    document.cookie = "csrftoken=abc; path=/";
    const server = fakeApi({ "POST /auth/login/": ok });
    await login({ identifier: " Ada@Example.com ", password: " pw " });
    expect(server.callsTo("POST /auth/login/")[0]?.body).toEqual({ email: "Ada@Example.com", password: " pw " });
  });

  it("fetches the CSRF cookie first when the browser has none", async () => {
    const server = fakeApi({ "POST /auth/login/": ok });
    await login({ identifier: "ada", password: "pw" });
    expect(server.calls.map((call) => `${call.method} ${call.url}`)).toEqual(["GET /auth/csrf/", "POST /auth/login/"]);
  });

  it("does not fetch it again when the cookie is there", async () => {
    document.cookie = "csrftoken=abc; path=/";
    const server = fakeApi({ "POST /auth/login/": ok });
    await login({ identifier: "ada", password: "pw" });
    expect(server.callsTo("GET /auth/csrf/")).toHaveLength(0);
  });

  it("passes the API's error on", async () => {
    fakeApi({
      "POST /auth/login/": { status: 400, data: { code: "invalid_credentials", detail: "Unable to log in." } },
    });
    await expect(login({ identifier: "ada", password: "pw" })).rejects.toEqual({
      status: 400,
      code: "invalid_credentials",
      detail: "Unable to log in.",
      fields: {},
      retryAfter: null,
    });
  });
});
