import { describe, expect, it } from "vitest";
import { fakeApi } from "../../../testing/fake-api";
import { getUsers } from "./get-users";
import { resetUserMfa } from "./reset-user-mfa";
import { updateUser } from "./update-user";

describe("the admin user calls", () => {
  it("ask for a page, with the search only when there is one", async () => {
    const server = fakeApi({ "GET /admin/users/": { status: 200, data: { count: 1, next: null, previous: null, results: [{ id: 1 }] } } });
    await expect(getUsers({ search: "  ", page: 1 })).resolves.toEqual({ count: 1, next: null, previous: null, results: [{ id: 1 }] });
    await getUsers({ search: " ada ", page: 3 });
    expect(server.calls.map((call) => call.params)).toEqual([{ page: 1 }, { page: 3, search: "ada" }]);
  });

  it("patch one user", async () => {
    document.cookie = "csrftoken=abc; path=/";
    const server = fakeApi({ "PATCH /admin/users/7/": { status: 200, data: { id: 7, is_active: false } } });
    await expect(updateUser(7, { is_active: false })).resolves.toEqual({ id: 7, is_active: false });
    expect(server.calls[0]?.body).toEqual({ is_active: false });
  });
});

describe("the admin two-factor reset", () => {
  it("posts to the user's reset endpoint with no body", async () => {
    document.cookie = "csrftoken=abc; path=/";
    const server = fakeApi({ "POST /admin/users/7/mfa/reset/": { status: 204 } });
    await expect(resetUserMfa(7)).resolves.toBeUndefined();
    expect(server.calls.map((call) => [`${call.method} ${call.url}`, call.body])).toEqual([["POST /admin/users/7/mfa/reset/", null]]);
  });
});
