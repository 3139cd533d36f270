import { screen, waitFor } from "@testing-library/react";
import type { UserEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ada, fakeApi } from "../testing/fake-api";
import { renderApp } from "../testing/render-app";

const loggedIn = { status: 200, data: { expiry: "2026-11-22T04:00:00Z", user: ada } };

async function logIn(user: UserEvent, identifier: string) {
  await user.type(await screen.findByLabelText("Email or username"), identifier);
  await user.type(screen.getByLabelText("Password"), "correct horse battery{Enter}");
}

describe("the app's routes", () => {
  it("sends / to the dashboard, and an anonymous visitor on to log in", async () => {
    fakeApi();
    const app = renderApp("/");
    expect(await screen.findByRole("heading", { name: "Log in" })).toBeInTheDocument();
    expect(app.location()).toBe("/login?next=%2Fdashboard");
  });

  it("shows a 404 page for unknown paths", async () => {
    fakeApi();
    renderApp("/no/such/page");
    expect(await screen.findByRole("heading", { name: "Page not found" })).toBeInTheDocument();
  });

  it("registers, then says where the link went", async () => {
    fakeApi({ "POST /auth/register/": { status: 201, data: { detail: "Check your inbox." } } });
    const app = renderApp("/register");
    await app.user.type(await screen.findByLabelText("Email"), "ada@example.com");
    await app.user.type(screen.getByLabelText("Password"), "correct horse battery");
    await app.user.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByRole("heading", { name: "Check your email" })).toBeInTheDocument();
    expect(app.location()).toBe("/check-email");
    expect(screen.getByText("ada@example.com")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /log in/i })).toHaveAttribute("href", "/login");
  });

  it("still makes sense on /check-email without an address", async () => {
    fakeApi();
    renderApp("/check-email");
    expect(await screen.findByRole("heading", { name: "Check your email" })).toBeInTheDocument();
    expect(screen.getByText(/confirmation link to your email address/)).toBeInTheDocument();
  });

  it("logs in from a protected page and goes back there, writing nothing to web storage", async () => {
    const setItem = vi.spyOn(Storage.prototype, "setItem");
    const server = fakeApi({ "POST /auth/login/": loggedIn });
    const app = renderApp("/dashboard?tab=details");
    await waitFor(() => expect(app.location()).toBe("/login?next=%2Fdashboard%3Ftab%3Ddetails"));
    await logIn(app.user, "ada@example.com");
    await waitFor(() => expect(app.location()).toBe("/dashboard?tab=details"));
    expect(await screen.findByRole("heading", { name: "Dashboard" })).toBeInTheDocument();
    expect(screen.getByText("ada@example.com")).toBeInTheDocument();
    expect(setItem).not.toHaveBeenCalled();
    expect(localStorage).toHaveLength(0);
    expect(sessionStorage).toHaveLength(0);
    // The response had no token to leak, and nothing asked for one.
    expect(server.calls.every((call) => !("Authorization" in call.headers))).toBe(true);
  });

  it.each(["%2F%2Fevil.example", "%2F%5Cevil.example", "javascript%3Aalert(1)", "https%3A%2F%2Fevil.example%2F"])(
    "ignores next=%s after logging in",
    async (next) => {
      fakeApi({ "POST /auth/login/": loggedIn });
      const app = renderApp(`/login?next=${next}`);
      await logIn(app.user, "ada");
      expect(await screen.findByRole("heading", { name: "Dashboard" })).toBeInTheDocument();
      expect(app.location()).toBe("/dashboard");
    },
  );

  it("lands on the login page when logging out of a session that had already ended", async () => {
    fakeApi({
      "GET /auth/me/": { status: 200, data: ada },
      "POST /auth/logout/": { status: 401, data: { code: "authentication_failed", detail: "Invalid or expired token." } },
    });
    const app = renderApp("/dashboard");
    await screen.findByRole("heading", { name: "Dashboard" });
    await app.user.click(screen.getByRole("button", { name: "Log out" }));
    expect(await screen.findByRole("heading", { name: "Log in" })).toBeInTheDocument();
    expect(app.location()).toBe("/login");
  });
});
