import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { StrictMode } from "react";
import { describe, expect, it } from "vitest";
import type { SecurityEvent } from "../../../lib/api-types";
import { defined } from "../../../testing/defined";
import { deferred, fakeApi, type FakeRoute } from "../../../testing/fake-api";
import { SecurityActivity } from "./security-activity";

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000).toISOString();

function event(id: number, kind: string, details: Record<string, unknown> = {}, extra: Partial<SecurityEvent> = {}): SecurityEvent {
  return {
    id,
    kind,
    created_at: hoursAgo(2),
    ip: "203.0.113.4",
    device: "Chrome 131 on Linux",
    session: "11111111-1111-4111-8111-111111111111",
    current_session: false,
    count: 1,
    disowned: false,
    details,
    ...extra,
  };
}

const NEXT = "/api/auth/security-log/?cursor=cD0xMjM%3D";
const LAST = "/api/auth/security-log/?cursor=cD05OQ%3D%3D";

function renderActivity(route: FakeRoute) {
  const server = fakeApi({ "GET /auth/security-log/": route });
  const user = userEvent.setup();
  render(
    <StrictMode>
      <SecurityActivity />
    </StrictMode>,
  );
  return { server, user };
}

const page = (results: SecurityEvent[], next: string | null = null) => ({ status: 200, data: { next, previous: null, results } });

const rows = async () => within(await screen.findByRole("list", { name: "Security events" })).getAllByRole("listitem");

describe("SecurityActivity", () => {
  it("says each event as a sentence, with device, relative time (exact in the title) and IP", async () => {
    const signedIn = event(3, "signed_in", { method: "passkey", second_factor: "", new_device: false }, { current_session: true });
    const { server } = renderActivity(
      page([
        signedIn,
        event(2, "sign_in_failed", { method: "password" }, { count: 3, device: "", ip: null, session: null, created_at: hoursAgo(26) }),
        event(1, "factor_added", { factor: "passkey", name: "Laptop" }),
      ]),
    );
    const [first, second, third] = (await rows()).map((row) => defined(row));
    expect(within(defined(first)).getByText("Signed in with a passkey", { exact: false })).toBeInTheDocument();
    expect(first).toHaveTextContent("Chrome 131 on Linux · 2 hours ago · 203.0.113.4");
    expect(within(defined(first)).getByText("This session")).toBeInTheDocument();
    const time = within(defined(first)).getByText("2 hours ago");
    expect(time.tagName).toBe("TIME");
    expect(time).toHaveAttribute("datetime", signedIn.created_at);
    expect(time.getAttribute("title")).toMatch(/\d{4}.*\d{1,2}:\d{2}:\d{2}/);
    // Nothing known about the device or the address: only the time is left.
    expect(second).toHaveTextContent(/^3 failed sign-in attempts with a passwordyesterday$/);
    expect(second).not.toHaveTextContent("This session");
    expect(third).toHaveTextContent("Added a passkey “Laptop”");
    // StrictMode or not, the page is asked for once.
    expect(server.callsTo("GET /auth/security-log/")).toHaveLength(1);
    expect(screen.queryByRole("button", { name: "Show older" })).not.toBeInTheDocument();
  });

  it("marks a sign-in from a new device, and one the owner said was not them", async () => {
    renderActivity(
      page([
        event(2, "signed_in", { method: "password", second_factor: "totp", new_device: true }, { disowned: true }),
        event(1, "signed_in", { method: "email_code", second_factor: "", new_device: false }),
      ]),
    );
    const [disowned, plain] = await rows();
    expect(disowned).toHaveTextContent("Signed in with a password and an authenticator app");
    expect(within(defined(disowned)).getByText("New device")).toBeInTheDocument();
    expect(within(defined(disowned)).getByText("You said this wasn't you")).toBeInTheDocument();
    expect(plain).toHaveTextContent("Signed in with an emailed code");
    expect(plain).not.toHaveTextContent("New device");
    expect(plain).not.toHaveTextContent("You said this wasn't you");
  });

  it("still shows a kind it does not know", async () => {
    renderActivity(page([event(1, "passkey_synced")]));
    expect(await rows()).toHaveLength(1);
    expect(screen.getByText("Passkey synced", { exact: false })).toBeInTheDocument();
  });

  it("appends the older pages with Show older, and drops the button when there are no more", async () => {
    const second = deferred();
    const { server, user } = renderActivity(({ params }) => {
      if (!params?.cursor) return page([event(5, "password_changed"), event(4, "signed_out")], NEXT);
      if (params.cursor === "cD0xMjM=") return second.promise;
      return page([event(1, "recovery_codes_regenerated")]);
    });
    expect(await rows()).toHaveLength(2);
    const button = screen.getByRole("button", { name: "Show older" });
    await user.click(button);
    expect(button).toBeDisabled();
    await user.click(button);
    second.resolve(page([event(3, "password_reset_requested"), event(2, "password_reset_completed")], LAST));
    await waitFor(async () => expect(await rows()).toHaveLength(4));
    expect((await rows()).map((row) => row.firstChild?.textContent)).toEqual([
      "Password changed",
      "Signed out",
      "Password reset requested",
      "Password reset completed",
    ]);
    // Focus lands on the first row that came in.
    expect((await rows())[2]).toHaveFocus();
    await user.click(screen.getByRole("button", { name: "Show older" }));
    await waitFor(async () => expect(await rows()).toHaveLength(5));
    expect((await rows())[4]).toHaveTextContent("Made new recovery codes");
    expect((await rows())[4]).toHaveFocus();
    expect(screen.queryByRole("button", { name: "Show older" })).not.toBeInTheDocument();
    expect(server.calls.map((call) => call.params?.cursor ?? null)).toEqual([null, "cD0xMjM=", "cD05OQ=="]);
  });

  it("keeps what it has and the button when an older page fails, and shows why", async () => {
    let fail = true;
    const { user } = renderActivity(({ params }) => {
      if (!params?.cursor) return page([event(2, "password_changed")], NEXT);
      return fail ? { status: 503, data: { code: "service_unavailable", detail: "The service is unavailable. Try again shortly." } } : page([event(1, "signed_out")]);
    });
    await user.click(await screen.findByRole("button", { name: "Show older" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not load older activity. The service is unavailable. Try again shortly.");
    expect(await rows()).toHaveLength(1);
    fail = false;
    await user.click(screen.getByRole("button", { name: "Show older" }));
    await waitFor(async () => expect(await rows()).toHaveLength(2));
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("says when there is nothing yet, and offers a retry when the log cannot be loaded", async () => {
    let fail = true;
    const { user } = renderActivity(() => (fail ? { status: 502, data: { code: "bad_gateway", detail: "The API is unavailable. Try again shortly." } } : page([])));
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not load your security activity. The API is unavailable. Try again shortly.");
    fail = false;
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Nothing has happened on your account yet.")).toBeInTheDocument();
  });
});
