import { screen, waitFor } from "@testing-library/react";
import type { UserEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ada, fakeApi } from "../../testing/fake-api";
import { renderApp } from "../../testing/render-app";

vi.mock("@simplewebauthn/browser", async () => (await import("../../testing/fake-webauthn")).fakeBrowser);

const challenge = "c".repeat(43);
const mfaRequired = { status: 200, data: { mfa_required: true, challenge, methods: ["totp", "recovery_code"] } };
const session = { status: 200, data: { expiry: "2026-11-22T04:00:00Z", user: ada } };

async function logIn(user: UserEvent) {
  await user.type(await screen.findByLabelText("Email or username"), "ada@example.com");
  await user.type(screen.getByLabelText("Password"), "correct horse battery{Enter}");
}

describe("the login's second step", () => {
  it("follows a right password, then goes where `next` said, leaving nothing in web storage or history", async () => {
    const setItem = vi.spyOn(Storage.prototype, "setItem");
    const server = fakeApi({ "POST /auth/login/": mfaRequired, "POST /auth/login/mfa/": session });
    const app = renderApp("/profile");
    await waitFor(() => expect(app.location()).toBe("/login?next=%2Fprofile"));
    await logIn(app.user);
    expect(await screen.findByRole("heading", { name: "Two-step verification" })).toBeInTheDocument();
    expect(app.location()).toBe("/login/verify?next=%2Fprofile");
    await app.user.type(screen.getByLabelText("Authentication code"), "123456");
    await app.user.click(screen.getByRole("button", { name: "Verify" }));
    expect(await screen.findByRole("heading", { name: "Profile" })).toBeInTheDocument();
    expect(app.location()).toBe("/profile");
    expect(server.callsTo("POST /auth/login/mfa/")[0]?.body).toEqual({ challenge, code: "123456" });
    expect(setItem).not.toHaveBeenCalled();
    expect(localStorage).toHaveLength(0);
    expect(sessionStorage).toHaveLength(0);
    expect(JSON.stringify(window.history.state ?? null)).not.toContain(challenge);
  });

  it("goes back to the login page with a clear message when the challenge is dead", async () => {
    fakeApi({
      "POST /auth/login/": mfaRequired,
      "POST /auth/login/mfa/": { status: 400, data: { code: "invalid_challenge", detail: "Start again." } },
    });
    const app = renderApp("/login?next=%2Fprofile");
    await logIn(app.user);
    await app.user.type(await screen.findByLabelText("Authentication code"), "123456{Enter}");
    expect(await screen.findByRole("heading", { name: "Log in" })).toBeInTheDocument();
    expect(app.location()).toBe("/login?next=%2Fprofile");
    expect(screen.getByRole("status")).toHaveTextContent("Your sign-in expired or was interrupted. Please log in again.");
  });

  it("cannot be opened without a login in progress (a reload forgets the challenge)", async () => {
    fakeApi();
    const app = renderApp("/login/verify?next=%2Fprofile");
    expect(await screen.findByRole("heading", { name: "Log in" })).toBeInTheDocument();
    expect(app.location()).toBe("/login?next=%2Fprofile");
  });

  it("is given up by going back to log in", async () => {
    fakeApi({ "POST /auth/login/": mfaRequired });
    const app = renderApp("/login");
    await logIn(app.user);
    await app.user.click(await screen.findByRole("link", { name: "Cancel and log in again" }));
    expect(await screen.findByRole("heading", { name: "Log in" })).toBeInTheDocument();
    expect(app.location()).toBe("/login");
  });
});

describe("the other ways to log in", () => {
  it("emails a code, and an account with a second factor goes on to the second step", async () => {
    const server = fakeApi({
      "POST /auth/login/code/": { status: 202, data: { detail: "If that address has an account, we sent a sign-in code." } },
      "POST /auth/login/code/confirm/": mfaRequired,
      "POST /auth/login/mfa/": session,
    });
    const app = renderApp("/login?next=%2Fprofile");
    await app.user.click(await screen.findByRole("button", { name: "Email me a code" }));
    expect(await screen.findByRole("heading", { name: "Log in with an emailed code" })).toBeInTheDocument();
    expect(app.location()).toBe("/login/code?next=%2Fprofile");
    await app.user.type(screen.getByLabelText("Email"), "ada@example.com");
    await app.user.click(screen.getByRole("button", { name: "Email me a code" }));
    await app.user.type(await screen.findByLabelText("Sign-in code"), "ABCD2345");
    await app.user.click(screen.getByRole("button", { name: "Verify" }));
    await app.user.click(await screen.findByRole("button", { name: "Use a recovery code" }));
    await app.user.type(screen.getByLabelText("Recovery code"), "AAAA-BBBB-CCCC{Enter}");
    expect(await screen.findByRole("heading", { name: "Profile" })).toBeInTheDocument();
    expect(server.callsTo("POST /auth/login/code/confirm/")[0]?.body).toEqual({ email: "ada@example.com", code: "ABCD2345" });
    expect(server.callsTo("POST /auth/login/mfa/")[0]?.body).toEqual({ challenge, recovery_code: "AAAA-BBBB-CCCC" });
  });

  it("offers a passkey on the login page", async () => {
    const { fakeBrowser, assertion, requestOptions } = await import("../../testing/fake-webauthn");
    fakeBrowser.startAuthentication.mockResolvedValue(assertion);
    fakeApi({
      "POST /auth/login/passkey/begin/": { status: 200, data: { options: requestOptions } },
      "POST /auth/login/passkey/": session,
    });
    const app = renderApp("/login?next=%2Fprofile");
    await app.user.click(await screen.findByRole("button", { name: "Sign in with a passkey" }));
    expect(await screen.findByRole("heading", { name: "Profile" })).toBeInTheDocument();
    expect(app.location()).toBe("/profile");
  });
});
