import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { mfaOff, mfaOn, recoveryCodes } from "../../../testing/mfa-fixtures";
import { renderMfaSettings } from "../../../testing/render-mfa-settings";

describe("regenerating the recovery codes", () => {
  it("asks first, then shows the new set once and the new count", async () => {
    let remaining = 3;
    const { user, server } = renderMfaSettings({
      "GET /auth/mfa/": () => ({ status: 200, data: { ...mfaOn, recovery_codes_remaining: remaining } }),
      "POST /auth/mfa/recovery-codes/": () => {
        remaining = 10;
        return { status: 200, data: { recovery_codes: recoveryCodes } };
      },
    });
    expect(await screen.findByText("You have 3 unused recovery codes.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Regenerate recovery codes" }));
    const ask = screen.getByRole("group", { name: "Regenerate recovery codes?" });
    expect(ask).toHaveTextContent("the old codes stop working at once");
    expect(within(ask).getByRole("button", { name: "Yes, make new codes" })).toHaveFocus();
    expect(server.callsTo("POST /auth/mfa/recovery-codes/")).toHaveLength(0);

    await user.click(within(ask).getByRole("button", { name: "Yes, make new codes" }));
    const list = await screen.findByRole("list", { name: "Recovery codes" });
    expect(within(list).getAllByRole("listitem").map((item) => item.textContent)).toEqual(recoveryCodes);
    expect(screen.getByRole("heading", { name: "Your new recovery codes" })).toHaveFocus();
    expect(screen.getByRole("button", { name: "Download codes" })).toBeInTheDocument();
    expect(server.callsTo("POST /auth/mfa/recovery-codes/")).toHaveLength(1);
    expect(server.callsTo("POST /auth/mfa/recovery-codes/")[0]?.body).toBeNull();
    await waitFor(() => expect(screen.getByText("You have 10 unused recovery codes.")).toBeInTheDocument());

    await user.click(screen.getByRole("button", { name: "I have saved them" }));
    expect(screen.queryByRole("list", { name: "Recovery codes" })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Regenerate recovery codes" })).toBeInTheDocument();
  });

  it("keeps the codes when the user changes their mind, with focus back on the button", async () => {
    const { user, server } = renderMfaSettings({ "GET /auth/mfa/": { status: 200, data: mfaOn } });
    await user.click(await screen.findByRole("button", { name: "Regenerate recovery codes" }));
    await user.click(screen.getByRole("button", { name: "Keep my codes" }));
    expect(screen.getByRole("button", { name: "Regenerate recovery codes" })).toHaveFocus();
    expect(server.callsTo("POST /auth/mfa/recovery-codes/")).toHaveLength(0);
  });

  it("says why it could not (mfa_not_enabled)", async () => {
    const { user } = renderMfaSettings({
      "GET /auth/mfa/": { status: 200, data: { ...mfaOff, webauthn_credentials: 1 } },
      "POST /auth/mfa/recovery-codes/": { status: 400, data: { code: "mfa_not_enabled", detail: "x" } },
    });
    await user.click(await screen.findByRole("button", { name: "Regenerate recovery codes" }));
    await user.click(screen.getByRole("button", { name: "Yes, make new codes" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Turn on two-factor authentication first");
  });

  it("is not offered without a second factor", async () => {
    renderMfaSettings();
    expect(await screen.findByText("Off.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Regenerate recovery codes" })).not.toBeInTheDocument();
  });

  it("says when none are left", async () => {
    renderMfaSettings({ "GET /auth/mfa/": { status: 200, data: { ...mfaOn, recovery_codes_remaining: 0 } } });
    expect(await screen.findByText("You have no unused recovery codes left: make a new set.")).toBeInTheDocument();
  });
});
