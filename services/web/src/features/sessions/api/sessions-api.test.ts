import { describe, expect, it } from "vitest";
import { fakeApi } from "../../../testing/fake-api";
import { logoutAll } from "./logout-all";
import { revokeSession } from "./revoke-session";

describe("the session calls", () => {
  it("revoke one session by id", async () => {
    document.cookie = "csrftoken=abc; path=/";
    const server = fakeApi({ "DELETE /auth/sessions/3f0c-uuid/": { status: 204 } });
    await revokeSession("3f0c-uuid");
    expect(server.calls).toHaveLength(1);
  });

  it("treat a 401 from logout-all as done, and pass other errors on", async () => {
    document.cookie = "csrftoken=abc; path=/";
    let answer = { status: 401, data: { code: "authentication_failed", detail: "x" } };
    fakeApi({ "POST /auth/logout-all/": () => answer });
    await expect(logoutAll()).resolves.toBeUndefined();
    answer = { status: 503, data: { code: "service_unavailable", detail: "Down." } };
    await expect(logoutAll()).rejects.toMatchObject({ status: 503 });
  });
});
