import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ada, deferred, fakeApi } from "../../testing/fake-api";
import { defined } from "../../testing/defined";
import { renderApp } from "../../testing/render-app";

function details() {
  const list = defined(document.querySelector<HTMLElement>("dl.details"), "the details list");
  const terms = within(list).getAllByRole("term").map((term) => term.textContent);
  const values = within(list).getAllByRole("definition").map((value) => value.textContent);
  return Object.fromEntries(terms.map((term, index) => [term, values.at(index)]));
}

describe("the dashboard", () => {
  it("shows the account from me", async () => {
    fakeApi({ "GET /auth/me/": { status: 200, data: ada } });
    renderApp("/dashboard");
    expect(await screen.findByRole("heading", { name: "Dashboard" })).toBeInTheDocument();
    const shown = details();
    expect(Object.keys(shown)).toEqual(["Email", "Username", "Email confirmed", "Member since", "Roles"]);
    expect(shown.Email).toBe("ada@example.com");
    expect(shown.Username).toBe("ada");
    expect(shown["Email confirmed"]).toBe("Yes");
    expect(shown["Member since"]).toMatch(/2026/);
    expect(shown["Member since"]).not.toContain("T18:00");
    expect(shown.Roles).toBe("member, staff");
  });

  it("shows a dash for a missing username and No for an unconfirmed address", async () => {
    fakeApi({ "GET /auth/me/": { status: 200, data: { ...ada, username: null, email_confirmed: false } } });
    renderApp("/dashboard");
    await screen.findByRole("heading", { name: "Dashboard" });
    expect(details().Username).toBe("—");
    expect(details()["Email confirmed"]).toBe("No");
  });

  it("logs out: posts logout, forgets the user and goes to the login page", async () => {
    const reply = deferred();
    const server = fakeApi({ "GET /auth/me/": { status: 200, data: ada }, "POST /auth/logout/": () => reply.promise });
    const app = renderApp("/dashboard");
    await screen.findByRole("heading", { name: "Dashboard" });
    await app.user.click(screen.getByRole("button", { name: "Log out" }));
    expect(screen.getByRole("button", { name: "Log out" })).toBeDisabled();
    reply.resolve({ status: 204 });
    expect(await screen.findByRole("heading", { name: "Log in" })).toBeInTheDocument();
    expect(app.location()).toBe("/login");
    expect(server.callsTo("POST /auth/logout/")).toHaveLength(1);
    expect(server.callsTo("POST /auth/logout/")[0]?.headers["X-Auth-Transport"]).toBe("cookie");
  });

  it("stays signed in and says so when logout cannot reach the server", async () => {
    fakeApi({ "GET /auth/me/": { status: 200, data: ada }, "POST /auth/logout/": { status: 502, data: { code: "bad_gateway", detail: "The API is unavailable. Try again shortly." } } });
    const app = renderApp("/dashboard");
    await screen.findByRole("heading", { name: "Dashboard" });
    await app.user.click(screen.getByRole("button", { name: "Log out" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not log out. The API is unavailable. Try again shortly.");
    await waitFor(() => expect(screen.getByRole("button", { name: "Log out" })).toBeEnabled());
    expect(app.location()).toBe("/dashboard");
  });
});
