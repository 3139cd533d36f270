import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ada, admin, fakeApi } from "../testing/fake-api";
import { renderApp } from "../testing/render-app";

const expired = { status: 401, data: { code: "authentication_failed", detail: "Invalid or expired token." } };

describe("the signed-in navigation", () => {
  it("links the account pages, without Users for a member, and has the one Log out button", async () => {
    fakeApi({ "GET /auth/me/": { status: 200, data: ada } });
    const app = renderApp("/dashboard");
    const nav = await screen.findByRole("navigation", { name: "Account" });
    const links = within(nav).getAllByRole("link").map((link) => [link.textContent, link.getAttribute("href")]);
    expect(links).toEqual([
      ["Dashboard", "/dashboard"],
      ["Profile", "/profile"],
      ["Security", "/security"],
      ["Security activity", "/security-activity"],
    ]);
    expect(within(nav).getByRole("link", { name: "Dashboard" })).toHaveAttribute("aria-current", "page");
    expect(screen.getAllByRole("button", { name: "Log out" })).toHaveLength(1);
    await app.user.click(within(nav).getByRole("link", { name: "Security" }));
    expect(await screen.findByRole("heading", { name: "Security", level: 1 })).toBeInTheDocument();
    expect(app.location()).toBe("/security");
  });

  it("shows Users to admins", async () => {
    fakeApi({
      "GET /auth/me/": { status: 200, data: admin },
      "GET /admin/users/": { status: 200, data: { count: 0, next: null, previous: null, results: [] } },
    });
    const app = renderApp("/dashboard");
    const nav = await screen.findByRole("navigation", { name: "Account" });
    await app.user.click(within(nav).getByRole("link", { name: "Users" }));
    expect(await screen.findByRole("heading", { name: "Users" })).toBeInTheDocument();
    expect(app.location()).toBe("/manage/users");
  });

  it("is not shown to anonymous visitors, who go to log in and come back", async () => {
    fakeApi();
    const app = renderApp("/security");
    expect(await screen.findByRole("heading", { name: "Log in" })).toBeInTheDocument();
    expect(app.location()).toBe("/login?next=%2Fsecurity");
    expect(screen.queryByRole("navigation", { name: "Account" })).not.toBeInTheDocument();
  });

  it("sends the user to log in, and back, when the session ends on a new page", async () => {
    fakeApi({ "GET /auth/me/": { status: 200, data: ada }, "GET /auth/sessions/": expired });
    const app = renderApp("/security");
    expect(await screen.findByRole("heading", { name: "Log in" })).toBeInTheDocument();
    await waitFor(() => expect(app.location()).toBe("/login?next=%2Fsecurity"));
  });
});
