import { screen, waitFor } from "@testing-library/react";
import { Route } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { ada, anonymous, fakeApi, type FakeResponse } from "../../testing/fake-api";
import { renderApp } from "../../testing/render-app";
import { renderRoutes } from "../../testing/render-routes";
import { SignInAlertNoRoute } from "./sign-in-alert-no";
import { SignInAlertYesRoute } from "./sign-in-alert-yes";

const KEY = "a1b2c3";
const expired: FakeResponse = { status: 401, data: { code: "authentication_failed", detail: "Invalid or expired token." } };

/** `me` answers ada until the deny has ended her sessions, like the API. */
function adaUntilDenied(routes: Record<string, FakeResponse> = {}) {
  let denied = false;
  return fakeApi({
    "GET /auth/me/": () => (denied ? expired : { status: 200, data: ada }),
    "POST /auth/device-alerts/deny/": () => {
      denied = true;
      return { status: 200, data: { detail: "Your account is secured." } };
    },
    ...routes,
  });
}

describe("the sign-in alert pages", () => {
  it.each([
    ["yes", "Was this you?"],
    ["no", "Secure your account"],
  ])("/sign-in-alert/:key/%s opens for anonymous visitors and signed-in users alike, sending nothing", async (answer, heading) => {
    for (const me of [anonymous, { status: 200, data: ada }]) {
      const server = fakeApi({ "GET /auth/me/": me });
      const app = renderApp(`/sign-in-alert/${KEY}/${answer}`);
      expect(await screen.findByRole("heading", { name: heading })).toBeInTheDocument();
      await waitFor(() => expect(server.callsTo("GET /auth/me/")).toHaveLength(1));
      expect(app.location()).toBe(`/sign-in-alert/${KEY}/${answer}`);
      expect(server.calls.filter((call) => call.method !== "GET")).toHaveLength(0);
      // No account navigation: these pages stand alone, like the email confirmation.
      expect(screen.queryByRole("navigation", { name: "Account" })).not.toBeInTheDocument();
      app.unmount();
    }
  });

  it("\"This wasn't me\" forgets the signed-in user, whose session it ended; Log in then shows the login page", async () => {
    const server = adaUntilDenied();
    const app = renderApp(`/sign-in-alert/${KEY}/no`);
    await waitFor(() => expect(server.callsTo("GET /auth/me/")).toHaveLength(1));
    await app.user.click(await screen.findByRole("button", { name: "This wasn't me, secure my account" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Your account is secured. Check your inbox for a password reset email.");
    await waitFor(() => expect(server.callsTo("GET /auth/me/")).toHaveLength(2));
    expect(server.callsTo("POST /auth/device-alerts/deny/").map((call) => call.body)).toEqual([{ key: KEY }]);
    // Signed out: the login page is open to it (a signed-in user would be sent to the dashboard).
    await app.user.click(screen.getByRole("link", { name: "Log in" }));
    expect(await screen.findByRole("heading", { name: "Log in" })).toBeInTheDocument();
    expect(app.location()).toBe("/login");
  });

  it("\"This wasn't me\" keeps a signed-in user whose session is still good (another account's)", async () => {
    const grace = { ...ada, id: 2, email: "grace@example.com" };
    const server = fakeApi({
      "GET /auth/me/": { status: 200, data: grace },
      "POST /auth/device-alerts/deny/": { status: 200, data: { detail: "Your account is secured." } },
    });
    const app = renderRoutes(<Route path="/sign-in-alert/:key/no" element={<SignInAlertNoRoute />} />, `/sign-in-alert/${KEY}/no`);
    await waitFor(() => expect(app.signedIn()).toBe("grace@example.com"));
    await app.user.click(screen.getByRole("button", { name: "This wasn't me, secure my account" }));
    await screen.findByRole("heading", { name: "Your account is secured" });
    await waitFor(() => expect(server.callsTo("GET /auth/me/")).toHaveLength(2));
    expect(app.signedIn()).toBe("grace@example.com");
  });

  it("\"This wasn't me\" asks nothing more of an anonymous visitor", async () => {
    const server = fakeApi({ "POST /auth/device-alerts/deny/": { status: 200, data: { detail: "Your account is secured." } } });
    const app = renderRoutes(<Route path="/sign-in-alert/:key/no" element={<SignInAlertNoRoute />} />, `/sign-in-alert/${KEY}/no`);
    await waitFor(() => expect(app.signedIn()).toBe("anonymous"));
    await app.user.click(screen.getByRole("button", { name: "This wasn't me, secure my account" }));
    await screen.findByRole("heading", { name: "Your account is secured" });
    expect(server.callsTo("GET /auth/me/")).toHaveLength(1);
    expect(app.signedIn()).toBe("anonymous");
  });

  it("\"Yes, it was me\" keeps the signed-in user", async () => {
    const server = fakeApi({
      "GET /auth/me/": { status: 200, data: ada },
      "POST /auth/device-alerts/confirm/": { status: 200, data: { detail: "Thanks." } },
    });
    const app = renderRoutes(<Route path="/sign-in-alert/:key/yes" element={<SignInAlertYesRoute />} />, `/sign-in-alert/${KEY}/yes`);
    await waitFor(() => expect(app.signedIn()).toBe("ada@example.com"));
    await app.user.click(screen.getByRole("button", { name: "Yes, it was me" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Thanks — this device is now known.");
    expect(app.signedIn()).toBe("ada@example.com");
    expect(server.callsTo("GET /auth/me/")).toHaveLength(1);
  });
});
