import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ada, fakeApi } from "../../testing/fake-api";
import { renderApp } from "../../testing/render-app";

const signedIn = {
  id: 1,
  kind: "signed_in",
  created_at: new Date(Date.now() - 5 * 60_000).toISOString(),
  ip: "203.0.113.4",
  device: "Chrome 131 on Linux",
  session: "11111111-1111-4111-8111-111111111111",
  current_session: true,
  count: 1,
  disowned: false,
  details: { method: "password", second_factor: "totp", new_device: false },
};

describe("the security activity page", () => {
  it("is linked from the navigation next to Security and lists the log", async () => {
    fakeApi({
      "GET /auth/me/": { status: 200, data: ada },
      "GET /auth/security-log/": { status: 200, data: { next: null, previous: null, results: [signedIn] } },
    });
    const app = renderApp("/dashboard");
    const nav = await screen.findByRole("navigation", { name: "Account" });
    await app.user.click(within(nav).getByRole("link", { name: "Security activity" }));
    expect(await screen.findByRole("heading", { name: "Security activity", level: 1 })).toBeInTheDocument();
    expect(app.location()).toBe("/security-activity");
    expect(within(nav).getByRole("link", { name: "Security activity" })).toHaveAttribute("aria-current", "page");
    expect(within(nav).getByRole("link", { name: "Security" })).not.toHaveAttribute("aria-current");
    const list = await screen.findByRole("list", { name: "Security events" });
    expect(within(list).getByRole("listitem")).toHaveTextContent(
      "Signed in with a password and an authenticator app This sessionChrome 131 on Linux · 5 minutes ago · 203.0.113.4",
    );
    // What to do about something unknown is on the security page.
    expect(within(screen.getByRole("main")).getByRole("link", { name: "Security" })).toHaveAttribute("href", "/security");
  });

  it("sends an anonymous visitor to log in, and back", async () => {
    fakeApi();
    const app = renderApp("/security-activity");
    expect(await screen.findByRole("heading", { name: "Log in" })).toBeInTheDocument();
    expect(app.location()).toBe("/login?next=%2Fsecurity-activity");
  });
});
