import { screen, waitFor, within } from "@testing-library/react";
import { Route } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { anonymous, deferred, fakeApi, type FakeResponse } from "../../../testing/fake-api";
import { renderRoutes } from "../../../testing/render-routes";
import { DenySignIn } from "./deny-sign-in";

const DENY = "POST /auth/device-alerts/deny/";
const secured: FakeResponse = { status: 200, data: { detail: "Done." } };

function renderAt(key: string, onSecured?: () => void) {
  return renderRoutes(
    <Route path="/sign-in-alert/:key/no" element={<DenySignIn alertKey={key} onSecured={onSecured} />} />,
    `/sign-in-alert/${key}/no`,
  );
}

describe("DenySignIn", () => {
  it("says what securing the account does, and sends nothing until asked", async () => {
    const server = fakeApi();
    const app = renderAt("the-key");
    expect(screen.getByRole("heading", { name: "Secure your account" })).toBeInTheDocument();
    const steps = within(screen.getByRole("list")).getAllByRole("listitem").map((item) => item.textContent);
    expect(steps).toEqual([
      "Every session of your account is signed out, on every device.",
      "Signing in with your password is blocked until you reset it.",
      "We email you a link to reset your password now.",
    ]);
    expect(screen.getByRole("button", { name: "This wasn't me, secure my account" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Yes, it was me" })).toHaveAttribute("href", "/sign-in-alert/the-key/yes");
    await waitFor(() => expect(app.signedIn()).toBe("anonymous"));
    expect(server.calls.filter((call) => call.method !== "GET")).toHaveLength(0);
  });

  it("posts the key once when asked, says the account is secured, and links to log in", async () => {
    const reply = deferred();
    const server = fakeApi({ [DENY]: () => reply.promise });
    let secured = 0;
    const app = renderAt("the-key", () => (secured += 1));
    const button = screen.getByRole("button", { name: "This wasn't me, secure my account" });
    await app.user.click(button);
    expect(button).toBeDisabled();
    reply.resolve({ status: 200, data: { detail: "Done." } });
    expect(await screen.findByRole("heading", { name: "Your account is secured" })).toHaveFocus();
    expect(screen.getByRole("status")).toHaveTextContent("Your account is secured. Check your inbox for a password reset email.");
    expect(screen.getByRole("link", { name: "Log in" })).toHaveAttribute("href", "/login");
    expect(server.callsTo(DENY).map((call) => call.body)).toEqual([{ key: "the-key" }]);
    expect(secured).toBe(1);
  });

  it("says when the link is invalid, used or expired, and secures nothing", async () => {
    let secured = 0;
    fakeApi({ [DENY]: { status: 400, data: { code: "invalid_key", detail: "Invalid key." } } });
    const app = renderAt("old-key", () => (secured += 1));
    await app.user.click(screen.getByRole("button", { name: "This wasn't me, secure my account" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("This link is invalid, used or expired.");
    expect(screen.queryByRole("heading", { name: "Your account is secured" })).not.toBeInTheDocument();
    expect(secured).toBe(0);
  });

  it("shows a 429 as a wait and keeps the button", async () => {
    fakeApi({ [DENY]: { status: 429, data: { code: "throttled", detail: "x" }, headers: { "retry-after": "30" } } });
    const app = renderAt("the-key");
    await app.user.click(screen.getByRole("button", { name: "This wasn't me, secure my account" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many attempts. Try again in 30 seconds.");
    expect(screen.getByRole("button", { name: "This wasn't me, secure my account" })).toBeEnabled();
  });

  it("needs nobody signed in", async () => {
    const server = fakeApi({ "GET /auth/me/": anonymous, [DENY]: secured });
    const app = renderAt("the-key");
    await waitFor(() => expect(app.signedIn()).toBe("anonymous"));
    await app.user.click(screen.getByRole("button", { name: "This wasn't me, secure my account" }));
    expect(await screen.findByRole("heading", { name: "Your account is secured" })).toBeInTheDocument();
    expect(server.callsTo(DENY)).toHaveLength(1);
  });
});
