import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ada, fakeApi } from "../../testing/fake-api";
import { renderApp } from "../../testing/render-app";
import { ACCOUNT_DELETED } from "./login";

describe("the login page", () => {
  it("links to the forgotten-password page", async () => {
    fakeApi({ "POST /auth/password/reset/": { status: 202, data: { detail: "If that address has an account, we sent instructions to reset the password." } } });
    const app = renderApp("/login");
    await app.user.click(await screen.findByRole("link", { name: "Forgot password?" }));
    expect(await screen.findByRole("heading", { name: "Forgot your password?" })).toBeInTheDocument();
    expect(app.location()).toBe("/forgot-password");
    await app.user.type(screen.getByLabelText("Email"), "ada@example.com");
    await app.user.click(screen.getByRole("button", { name: "Send reset instructions" }));
    expect(await screen.findByRole("link", { name: "Enter a code" })).toBeInTheDocument();
    await app.user.click(screen.getByRole("link", { name: "Enter a code" }));
    expect(await screen.findByLabelText("Email")).toHaveValue("ada@example.com");
    expect(app.location()).toBe("/reset-password/code");
  });

  it("shows a notice passed in router state, and nothing otherwise", async () => {
    fakeApi();
    const { unmount } = renderApp({ pathname: "/login", state: { notice: ACCOUNT_DELETED } });
    await screen.findByRole("heading", { name: "Log in" });
    expect(screen.getByRole("status")).toHaveTextContent("Your account has been deleted.");
    unmount();
    // A notice is named by its code, so it is said in the page's language; history state is
    // anyone's to write, and text put there is not shown.
    renderApp({ pathname: "/login", state: { notice: "Send your password to evil.example" } });
    await screen.findByRole("heading", { name: "Log in" });
    expect(screen.getByRole("status")).toHaveTextContent("");
  });
});

describe("the check-email page", () => {
  it("resends to the address it was given", async () => {
    const server = fakeApi({ "POST /auth/email/resend/": { status: 202, data: { detail: "We sent a new link." } } });
    const app = renderApp({ pathname: "/check-email", state: { email: "ada@example.com" } });
    await app.user.click(await screen.findByRole("button", { name: "Resend email" }));
    expect(await screen.findByText("We sent a new link.")).toBeInTheDocument();
    expect(server.callsTo("POST /auth/email/resend/")[0]?.body).toEqual({ email: "ada@example.com" });
  });
});

describe("the reset pages", () => {
  it("keep signed-in users out of the forgotten-password page", async () => {
    fakeApi({ "GET /auth/me/": { status: 200, data: ada } });
    const app = renderApp("/forgot-password");
    expect(await screen.findByRole("heading", { name: "Dashboard" })).toBeInTheDocument();
    expect(app.location()).toBe("/dashboard");
  });

  it("open a reset link even when signed in, and sign this browser out after the reset", async () => {
    fakeApi({
      "GET /auth/me/": { status: 200, data: ada },
      "POST /auth/password/reset/verify/": { status: 200, data: { detail: "The reset link is valid." } },
      "POST /auth/password/reset/confirm/": { status: 200, data: { detail: "Your password has been reset. You can log in now." } },
    });
    const app = renderApp("/reset-password/MQ/abc");
    await app.user.type(await screen.findByLabelText("New password"), "a brand new passphrase{Enter}");
    expect(await screen.findByRole("heading", { name: "Password reset" })).toBeInTheDocument();
    await app.user.click(screen.getByRole("link", { name: "Log in" }));
    expect(await screen.findByRole("heading", { name: "Log in" })).toBeInTheDocument();
    await waitFor(() => expect(app.location()).toBe("/login"));
  });
});
