import { beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../../lib/api-client.js";
import { login } from "./login.js";

describe("login", () => {
  beforeEach(() => {
    document.cookie = "csrftoken=abc";
  });

  it("sends a username when the identifier has no @", async () => {
    const post = vi.spyOn(api, "post").mockResolvedValue({ data: { user: { id: 1 } } });
    await login({ identifier: "ada", password: "pw" });
    expect(post).toHaveBeenCalledWith("/auth/login/", { username: "ada", password: "pw" }, expect.anything());
  });

  it("sends an email otherwise, and keeps spaces in the password", async () => {
    const post = vi.spyOn(api, "post").mockResolvedValue({ data: { user: { id: 1 } } });
    await login({ identifier: " ada@example.com ", password: " pw " });
    expect(post).toHaveBeenCalledWith(
      "/auth/login/",
      { email: "ada@example.com", password: " pw " },
      expect.anything(),
    );
  });
});

describe("the api client", () => {
  it("asks for the cookie transport and Django's CSRF names", () => {
    expect(api.defaults.headers["X-Auth-Transport"]).toBe("cookie");
    expect(api.defaults.xsrfCookieName).toBe("csrftoken");
    expect(api.defaults.xsrfHeaderName).toBe("X-CSRFToken");
    expect(api.defaults.withCredentials).toBe(true);
  });
});
