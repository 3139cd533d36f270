import { describe, expect, it } from "vitest";
import { fakeApi } from "../../../testing/fake-api";
import { confirmReset } from "./confirm-reset";

describe("confirmReset", () => {
  it("sends the link's uid and token, or the email and code", async () => {
    document.cookie = "csrftoken=abc; path=/";
    const server = fakeApi({ "POST /auth/password/reset/confirm/": { status: 200, data: { detail: "ok" } } });
    await confirmReset({ uid: "MQ", token: "t", newPassword: " pw " });
    await confirmReset({ email: " ada@example.com ", code: " 12 34 56 ", newPassword: "pw" });
    expect(server.calls.map((call) => call.body)).toEqual([
      { uid: "MQ", token: "t", new_password: " pw " },
      { email: "ada@example.com", code: "123456", new_password: "pw" },
    ]);
  });
});
