import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { defined } from "../../testing/defined";
import { ada, admin, fakeApi, type FakeRoute } from "../../testing/fake-api";
import { renderApp } from "../../testing/render-app";

const bob = {
  id: 2,
  email: "bob@example.com",
  username: "bob",
  first_name: "",
  last_name: "",
  is_active: true,
  email_confirmed: true,
  date_joined: "2026-11-21T18:00:00Z",
  last_login: null,
  roles: ["member"],
  mfa_enabled: true,
};
const cy = { ...bob, id: 3, email: "cy@example.com", username: null, is_active: false, email_confirmed: false, roles: [], mfa_enabled: false };

interface PageLinks {
  next?: string | null;
  previous?: string | null;
  count?: number;
}

const pageOf = (results: object[], { next = null, previous = null, count = results.length }: PageLinks = {}) => ({
  status: 200,
  data: { count, next, previous, results },
});

function asAdmin(routes: Record<string, FakeRoute> = {}) {
  return fakeApi({ "GET /auth/me/": { status: 200, data: admin }, "GET /admin/users/": pageOf([bob, cy]), ...routes });
}

function rowFor(email: string) {
  return defined(screen.getByRole("cell", { name: email }).closest("tr"), `the row of ${email}`);
}

describe("the users page", () => {
  it("shows who has two-factor, and resets it after a confirmation", async () => {
    const server = asAdmin({ "POST /admin/users/2/mfa/reset/": { status: 204 } });
    const app = renderApp("/manage/users");
    const table = await screen.findByRole("table");
    const headers = within(table).getAllByRole("columnheader").map((th) => th.textContent);
    const column = headers.indexOf("Two-factor");
    expect(column).toBeGreaterThan(0);
    expect(within(rowFor("bob@example.com")).getAllByRole("cell").at(column)).toHaveTextContent("Yes");
    expect(within(rowFor("cy@example.com")).getAllByRole("cell").at(column)).toHaveTextContent("No");
    // Nothing to reset for someone without a second factor.
    expect(within(rowFor("cy@example.com")).queryByRole("button", { name: /Reset two-factor/ })).not.toBeInTheDocument();

    await app.user.click(screen.getByRole("button", { name: "Reset two-factor for bob@example.com" }));
    const ask = screen.getByRole("group", { name: "Reset two-factor for bob@example.com?" });
    expect(within(ask).getByRole("button", { name: "Yes, reset" })).toHaveFocus();
    await app.user.click(within(ask).getByRole("button", { name: "Cancel" }));
    expect(screen.getByRole("button", { name: "Reset two-factor for bob@example.com" })).toHaveFocus();
    expect(server.callsTo("POST /admin/users/2/mfa/reset/")).toHaveLength(0);

    await app.user.click(screen.getByRole("button", { name: "Reset two-factor for bob@example.com" }));
    await app.user.click(screen.getByRole("button", { name: "Yes, reset" }));
    await waitFor(() => expect(within(rowFor("bob@example.com")).getAllByRole("cell").at(column)).toHaveTextContent("No"));
    expect(server.callsTo("POST /admin/users/2/mfa/reset/")).toHaveLength(1);
    expect(screen.getByRole("status")).toHaveTextContent("Two-factor authentication was reset for bob@example.com.");
    expect(screen.queryByRole("button", { name: /Reset two-factor/ })).not.toBeInTheDocument();
  });

  it("keeps the confirmation up and says why when a reset fails", async () => {
    asAdmin({ "POST /admin/users/2/mfa/reset/": { status: 404, data: { code: "not_found", detail: "Not found." } } });
    const app = renderApp("/manage/users");
    await app.user.click(await screen.findByRole("button", { name: "Reset two-factor for bob@example.com" }));
    await app.user.click(screen.getByRole("button", { name: "Yes, reset" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Not found.");
    expect(screen.getByRole("button", { name: "Yes, reset" })).toBeEnabled();
  });

  it("tells a non-admin they have no access, and shows them no Users link", async () => {
    const server = fakeApi({ "GET /auth/me/": { status: 200, data: ada } });
    renderApp("/manage/users");
    expect(await screen.findByText("You do not have access to this page.")).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Users" })).not.toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
    expect(server.callsTo("GET /admin/users/")).toHaveLength(0);
  });

  it("lists users with their columns", async () => {
    asAdmin();
    renderApp("/manage/users");
    const table = await screen.findByRole("table");
    const headers = within(table).getAllByRole("columnheader").map((th) => th.textContent);
    expect(headers.slice(0, 5)).toEqual(["Email", "Username", "Active", "Confirmed", "Roles"]);
    const bobRow = rowFor("bob@example.com");
    expect(within(bobRow).getAllByRole("cell").map((td) => td.textContent).slice(0, 4)).toEqual([
      "bob@example.com",
      "bob",
      "Yes",
      "Yes",
    ]);
    expect(within(bobRow).getByRole("checkbox", { name: "member role for bob@example.com" })).toBeChecked();
    expect(within(bobRow).getByRole("checkbox", { name: "admin role for bob@example.com" })).not.toBeChecked();
    expect(within(bobRow).getByRole("button", { name: "Deactivate bob@example.com" })).toHaveTextContent("Deactivate");
    expect(within(rowFor("cy@example.com")).getByRole("button", { name: "Activate cy@example.com" })).toBeInTheDocument();
  });

  it("deactivates with PATCH {is_active: false} and shows the result", async () => {
    const server = asAdmin({ "PATCH /admin/users/2/": ({ body }) => ({ status: 200, data: { ...bob, ...body } }) });
    const app = renderApp("/manage/users");
    await screen.findByRole("table");
    await app.user.click(screen.getByRole("button", { name: "Deactivate bob@example.com" }));
    expect(await screen.findByRole("button", { name: "Activate bob@example.com" })).toBeInTheDocument();
    expect(server.callsTo("PATCH /admin/users/2/")[0]?.body).toEqual({ is_active: false });
    expect(within(rowFor("bob@example.com")).getAllByRole("cell")[2]).toHaveTextContent("No");
  });

  it("activates with PATCH {is_active: true}", async () => {
    const server = asAdmin({ "PATCH /admin/users/3/": ({ body }) => ({ status: 200, data: { ...cy, ...body } }) });
    const app = renderApp("/manage/users");
    await app.user.click(await screen.findByRole("button", { name: "Activate cy@example.com" }));
    await screen.findByRole("button", { name: "Deactivate cy@example.com" });
    expect(server.callsTo("PATCH /admin/users/3/")[0]?.body).toEqual({ is_active: true });
  });

  it("grants and removes roles with PATCH {roles}", async () => {
    let current = bob;
    const server = asAdmin({
      "PATCH /admin/users/2/": ({ body }) => {
        current = { ...current, ...body };
        return { status: 200, data: current };
      },
    });
    const app = renderApp("/manage/users");
    await screen.findByRole("table");
    await app.user.click(screen.getByRole("checkbox", { name: "admin role for bob@example.com" }));
    await waitFor(() => expect(screen.getByRole("checkbox", { name: "admin role for bob@example.com" })).toBeChecked());
    await app.user.click(screen.getByRole("checkbox", { name: "member role for bob@example.com" }));
    await waitFor(() => expect(screen.getByRole("checkbox", { name: "member role for bob@example.com" })).not.toBeChecked());
    expect(server.callsTo("PATCH /admin/users/2/").map((call) => call.body)).toEqual([
      { roles: ["admin", "member"] },
      { roles: ["admin"] },
    ]);
  });

  it("shows the API's refusal in an alert and keeps the row as it was", async () => {
    asAdmin({
      "PATCH /admin/users/9/": {
        status: 400,
        data: { code: "validation_error", detail: "Some fields are invalid.", fields: { is_active: ["You cannot deactivate yourself."] } },
      },
      "GET /admin/users/": pageOf([{ ...bob, id: 9, email: "root@example.com", roles: ["admin", "member"] }]),
    });
    const app = renderApp("/manage/users");
    await app.user.click(await screen.findByRole("button", { name: "Deactivate root@example.com" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Some fields are invalid. You cannot deactivate yourself.");
    expect(screen.getByRole("button", { name: "Deactivate root@example.com" })).toBeEnabled();
  });

  it("searches and pages through the URL", async () => {
    const server = asAdmin({
      "GET /admin/users/": ({ params }) =>
        params?.page === 1
          ? pageOf([bob], { count: 21, next: "http://x/api/admin/users/?page=2&search=example" })
          : pageOf([cy], { count: 21, previous: "http://x/api/admin/users/?search=example" }),
    });
    const app = renderApp("/manage/users");
    await screen.findByRole("table");
    expect(screen.getByRole("button", { name: "Previous" })).toBeDisabled();
    await app.user.type(screen.getByLabelText("Search users"), "example");
    await app.user.click(screen.getByRole("button", { name: "Search" }));
    await waitFor(() => expect(app.location()).toBe("/manage/users?search=example"));
    await waitFor(() => expect(server.callsTo("GET /admin/users/").at(-1)?.params).toEqual({ page: 1, search: "example" }));
    await waitFor(() => expect(screen.getByRole("button", { name: "Next" })).toBeEnabled());
    await app.user.click(screen.getByRole("button", { name: "Next" }));
    expect(await screen.findByRole("cell", { name: "cy@example.com" })).toBeInTheDocument();
    expect(app.location()).toBe("/manage/users?search=example&page=2");
    expect(server.callsTo("GET /admin/users/").at(-1)?.params).toEqual({ page: 2, search: "example" });
    expect(screen.getByRole("button", { name: "Next" })).toBeDisabled();
    expect(screen.getByLabelText("Search users")).toHaveValue("example");
  });

  it("counts the pages with the page size the answers have", async () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ ...bob, id: 100 + i, email: `user${i}@example.com` }));
    asAdmin({
      "GET /admin/users/": ({ params }) =>
        params?.page === 3
          ? pageOf(many(5), { count: 45, previous: "http://x/api/admin/users/?page=2" })
          : pageOf(many(20), { count: 45, next: "http://x/api/admin/users/?page=2" }),
    });
    const app = renderApp("/manage/users");
    expect(await screen.findByText("45 users. Page 1 of 3.")).toBeInTheDocument();
    app.unmount();
    renderApp("/manage/users?page=3");
    expect(await screen.findByText("45 users. Page 3 of 3.")).toBeInTheDocument();
  });

  it("says there is no access when the API refuses", async () => {
    asAdmin({ "GET /admin/users/": { status: 403, data: { code: "permission_denied", detail: "No." } } });
    renderApp("/manage/users");
    expect(await screen.findByText("You do not have access to this page.")).toBeInTheDocument();
  });
});
