import { describe, expect, it } from "vitest";
import { fakeApi } from "../../../testing/fake-api";
import { changeEmail } from "./change-email";
import { changePassword } from "./change-password";
import { deleteAccount } from "./delete-account";
import { exportAccountData } from "./export-account-data";
import { updateProfile } from "./update-profile";

describe("the account calls", () => {
  it("fetch the CSRF cookie before an unsafe request when it is missing", async () => {
    const server = fakeApi({ "DELETE /auth/me/": { status: 204 } });
    await deleteAccount({ password: "pw" });
    expect(server.calls.map((call) => `${call.method} ${call.url}`)).toEqual(["GET /auth/csrf/", "DELETE /auth/me/"]);
    expect(server.calls[1]?.body).toEqual({ password: "pw" });
  });

  it("send the contract's field names", async () => {
    document.cookie = "csrftoken=abc; path=/";
    const server = fakeApi({
      "PATCH /auth/me/": { status: 200, data: {} },
      "POST /auth/password/change/": { status: 200, data: {} },
      "POST /auth/email/change/": { status: 202, data: {} },
    });
    await updateProfile({ username: " ada ", firstName: " Ada", lastName: "", language: "de" });
    await changePassword({ currentPassword: " a ", newPassword: " b " });
    await changeEmail({ newEmail: " new@example.com ", password: " p " });
    expect(server.calls.map((call) => call.body)).toEqual([
      { username: "ada", first_name: "Ada", last_name: "", language: "de" },
      { current_password: " a ", new_password: " b " },
      { new_email: "new@example.com", password: " p " },
    ]);
  });

  it("get the export as the API's document, without a CSRF round trip", async () => {
    const server = fakeApi({ "GET /auth/me/export/": { status: 200, data: { user: { id: 1 } } } });
    await expect(exportAccountData()).resolves.toEqual({ user: { id: 1 } });
    expect(server.calls.map((call) => `${call.method} ${call.url}`)).toEqual(["GET /auth/me/export/"]);
  });
});
