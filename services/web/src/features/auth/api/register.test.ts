import { describe, expect, it } from "vitest";
import { fakeApi } from "../../../testing/fake-api";
import { register } from "./register";

const created = { status: 201, data: { detail: "Check your inbox for a link to confirm your email address." } };

describe("register", () => {
  it("leaves a blank username out", async () => {
    document.cookie = "csrftoken=abc; path=/";
    const server = fakeApi({ "POST /auth/register/": created });
    await register({ email: "ada@example.com", username: "  ", password: "correct horse battery", language: "en" });
    expect(server.calls[0]?.body).toEqual({ email: "ada@example.com", password: "correct horse battery", language: "en" });
  });

  it("sends a username when given", async () => {
    document.cookie = "csrftoken=abc; path=/";
    const server = fakeApi({ "POST /auth/register/": created });
    await expect(register({ email: "ada@example.com", username: "ada", password: "pw", language: "de" })).resolves.toEqual(created.data);
    expect(server.calls[0]?.body).toEqual({ email: "ada@example.com", username: "ada", password: "pw", language: "de" });
    expect(server.calls[0]?.headers["X-Auth-Transport"]).toBe("cookie");
  });

  it("carries the CSRF token, fetching the cookie first when it is missing", async () => {
    const server = fakeApi({ "POST /auth/register/": created });
    await register({ email: "ada@example.com", password: "pw", language: "en" });
    expect(server.calls.map((call) => `${call.method} ${call.url}`)).toEqual(["GET /auth/csrf/", "POST /auth/register/"]);
    expect(server.calls[1]?.headers["X-CSRFToken"]).toBe("test-csrf-token");
  });
});
