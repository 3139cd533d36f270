import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { defined } from "../../testing/defined";
import { ada, deferred, fakeApi, type FakeResponse, type FakeRoute } from "../../testing/fake-api";
import { renderApp } from "../../testing/render-app";

const here = {
  id: "11111111-1111-4111-8111-111111111111",
  created: "2026-11-21T18:00:00Z",
  expiry: "2026-11-22T04:00:00Z",
  last_seen: "2026-11-21T19:00:00Z",
  user_agent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
  ip: "203.0.113.7",
  current: true,
  auth_method: "password",
  second_factor: "totp",
};
const phone = {
  ...here,
  id: "22222222-2222-4222-8222-222222222222",
  user_agent: "Mozilla/5.0 (iPhone) Safari/604.1",
  ip: "198.51.100.4",
  current: false,
  auth_method: "passkey",
  second_factor: null,
};

const noFactors = { totp_enabled: false, totp_enabled_at: null, recovery_codes_remaining: 0, webauthn_credentials: 0 };

function signedIn(routes: Record<string, FakeRoute> = {}) {
  return fakeApi({
    "GET /auth/me/": { status: 200, data: ada },
    "GET /auth/sessions/": { status: 200, data: [here, phone] },
    "GET /auth/mfa/": { status: 200, data: noFactors },
    "GET /auth/mfa/webauthn/": { status: 200, data: [] },
    ...routes,
  });
}

async function openForm(name: string) {
  await screen.findByRole("heading", { name: "Security", level: 1 });
  return screen.getByRole("form", { name });
}

describe("the security page", () => {
  it("has its sections, each form named by its heading", async () => {
    signedIn();
    renderApp("/security");
    for (const name of ["Change password", "Change email"]) {
      expect(await openForm(name)).toBeInTheDocument();
    }
    expect(screen.getByRole("heading", { name: "Sessions" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Two-factor authentication" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Passkeys and security keys" })).toBeInTheDocument();
    expect(await screen.findByRole("button", { name: "Set up authenticator app" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Add a passkey" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Add a security key" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Delete account" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /Delete your account/ })).toHaveAttribute("href", "/delete-account");
  });

  it("changes the password and shows the API's detail", async () => {
    const reply = deferred();
    const server = signedIn({ "POST /auth/password/change/": () => reply.promise });
    const app = renderApp("/security");
    const form = await openForm("Change password");
    await app.user.type(within(form).getByLabelText("Current password"), "old passphrase here");
    await app.user.type(within(form).getByLabelText("New password"), "new passphrase here");
    await app.user.click(within(form).getByRole("button", { name: "Change password" }));
    expect(within(form).getByRole("button", { name: "Change password" })).toBeDisabled();
    reply.resolve({ status: 200, data: { detail: "Your password has been changed." } });
    await waitFor(() => expect(within(form).getByRole("status")).toHaveTextContent("Your password has been changed."));
    expect(server.callsTo("POST /auth/password/change/")[0]?.body).toEqual({
      current_password: "old passphrase here",
      new_password: "new passphrase here",
    });
  });

  it("puts a wrong current password next to that field and keeps both", async () => {
    signedIn({ "POST /auth/password/change/": { status: 400, data: { code: "invalid_password", detail: "The password is not correct." } } });
    const app = renderApp("/security");
    const form = await openForm("Change password");
    const current = within(form).getByLabelText("Current password");
    await app.user.type(current, "wrong");
    await app.user.type(within(form).getByLabelText("New password"), "new passphrase here{Enter}");
    await waitFor(() => expect(current).toHaveAttribute("aria-invalid", "true"));
    expect(current).toHaveAccessibleDescription("The password is not correct.");
    expect(current).toHaveFocus();
    expect(current).toHaveValue("wrong");
    expect(within(form).getByLabelText("New password")).toHaveValue("new passphrase here");
  });

  it("shows a weak new password and a 429 wait", async () => {
    let answer: FakeResponse = {
      status: 400,
      data: { code: "validation_error", detail: "Some fields are invalid.", fields: { new_password: ["This password is too short."] } },
    };
    signedIn({ "POST /auth/password/change/": () => answer });
    const app = renderApp("/security");
    const form = await openForm("Change password");
    await app.user.type(within(form).getByLabelText("Current password"), "old passphrase here");
    await app.user.type(within(form).getByLabelText("New password"), "short{Enter}");
    await waitFor(() =>
      expect(within(form).getByLabelText("New password")).toHaveAccessibleDescription(/This password is too short\./),
    );
    answer = { status: 429, data: { code: "throttled", detail: "x" }, headers: { "retry-after": "12" } };
    await app.user.click(within(form).getByRole("button", { name: "Change password" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Too many attempts. Try again in 12 seconds.");
  });

  it("asks for an email change and shows the API's detail", async () => {
    const server = signedIn({ "POST /auth/email/change/": { status: 202, data: { detail: "Check the new address for a confirmation link." } } });
    const app = renderApp("/security");
    const form = await openForm("Change email");
    expect(screen.getByText("ada@example.com")).toBeInTheDocument();
    await app.user.type(within(form).getByLabelText("New email"), "countess@example.com");
    await app.user.type(within(form).getByLabelText("Password"), "correct horse battery");
    await app.user.click(within(form).getByRole("button", { name: "Change email" }));
    await waitFor(() =>
      expect(within(form).getByRole("status")).toHaveTextContent("Check the new address for a confirmation link."),
    );
    expect(server.callsTo("POST /auth/email/change/")[0]?.body).toEqual({
      new_email: "countess@example.com",
      password: "correct horse battery",
    });
  });

  it("puts a wrong password for the email change next to it", async () => {
    signedIn({ "POST /auth/email/change/": { status: 400, data: { code: "invalid_password", detail: "The password is not correct." } } });
    const app = renderApp("/security");
    const form = await openForm("Change email");
    await app.user.type(within(form).getByLabelText("New email"), "countess@example.com");
    await app.user.type(within(form).getByLabelText("Password"), "nope{Enter}");
    const password = within(form).getByLabelText("Password");
    await waitFor(() => expect(password).toHaveAccessibleDescription("The password is not correct."));
    expect(within(form).getByLabelText("New email")).toHaveValue("countess@example.com");
  });

  it("lists the sessions, marks this device, and revokes another one", async () => {
    let sessions = [here, phone];
    const server = signedIn({
      "GET /auth/sessions/": () => ({ status: 200, data: sessions }),
      [`DELETE /auth/sessions/${phone.id}/`]: () => {
        sessions = [here];
        return { status: 204 };
      },
    });
    const app = renderApp("/security");
    const table = await screen.findByRole("table");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("This device");
    expect(rows[0]).toHaveTextContent("Firefox/140.0");
    expect(rows[0]).toHaveTextContent("203.0.113.7");
    expect(within(defined(rows[0])).queryByRole("button")).not.toBeInTheDocument();
    expect(rows[1]).not.toHaveTextContent("This device");
    expect(rows[1]).toHaveTextContent("198.51.100.4");
    // How each one signed in.
    expect(within(table).getAllByRole("columnheader").map((th) => th.textContent)[1]).toBe("Signed in with");
    expect(within(defined(rows[0])).getAllByRole("cell")[1]).toHaveTextContent("Password + authenticator app");
    expect(within(defined(rows[1])).getAllByRole("cell")[1]).toHaveTextContent("Passkey");
    const revoke = within(defined(rows[1])).getByRole("button", { name: `Revoke session ${phone.id}` });
    expect(revoke).toHaveTextContent("Revoke");
    await app.user.click(revoke);
    await waitFor(() => expect(within(screen.getByRole("table")).getAllByRole("row")).toHaveLength(2));
    expect(server.callsTo(`DELETE /auth/sessions/${phone.id}/`)).toHaveLength(1);
    expect(screen.queryByRole("button", { name: /^Revoke session/ })).not.toBeInTheDocument();
  });

  it("shows an alert when a revoke fails", async () => {
    signedIn({ [`DELETE /auth/sessions/${phone.id}/`]: { status: 503, data: { code: "service_unavailable", detail: "The service is unavailable. Try again shortly." } } });
    const app = renderApp("/security");
    await app.user.click(await screen.findByRole("button", { name: `Revoke session ${phone.id}` }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The service is unavailable. Try again shortly.");
  });

  it("logs out everywhere: posts logout-all, forgets the user and goes to log in", async () => {
    const server = signedIn({ "POST /auth/logout-all/": { status: 204 } });
    const app = renderApp("/security");
    await app.user.click(await screen.findByRole("button", { name: "Log out everywhere" }));
    expect(await screen.findByRole("heading", { name: "Log in" })).toBeInTheDocument();
    expect(app.location()).toBe("/login");
    expect(server.callsTo("POST /auth/logout-all/")).toHaveLength(1);
  });

  it("stays when log out everywhere cannot reach the server", async () => {
    signedIn({ "POST /auth/logout-all/": { status: 502, data: { code: "bad_gateway", detail: "The API is unavailable. Try again shortly." } } });
    const app = renderApp("/security");
    await app.user.click(await screen.findByRole("button", { name: "Log out everywhere" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The API is unavailable. Try again shortly.");
    expect(app.location()).toBe("/security");
  });
});
