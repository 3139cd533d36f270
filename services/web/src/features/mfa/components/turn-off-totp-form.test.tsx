import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { mfaOff, mfaOn } from "../../../testing/mfa-fixtures";
import { renderMfaSettings } from "../../../testing/render-mfa-settings";

function turnsOff() {
  let on = true;
  return {
    "GET /auth/mfa/": () => ({ status: 200, data: on ? mfaOn : mfaOff }),
    "DELETE /auth/mfa/totp/": () => {
      on = false;
      return { status: 204 };
    },
  };
}

describe("turning off the authenticator app", () => {
  it("asks a current code and sends DELETE {code}", async () => {
    const { user, server } = renderMfaSettings(turnsOff());
    await user.click(await screen.findByRole("button", { name: "Turn off authenticator app" }));
    const code = screen.getByLabelText("Authentication code");
    expect(code).toHaveFocus();
    await user.type(code, "123456");
    await user.click(screen.getByRole("button", { name: "Turn off" }));
    expect(await screen.findByText("The authenticator app is off.")).toBeInTheDocument();
    expect(await screen.findByRole("button", { name: "Set up authenticator app" })).toBeInTheDocument();
    expect(server.callsTo("DELETE /auth/mfa/totp/")[0]?.body).toEqual({ code: "123456" });
  });

  it("takes a recovery code instead, for a lost app", async () => {
    const { user, server } = renderMfaSettings(turnsOff());
    await user.click(await screen.findByRole("button", { name: "Turn off authenticator app" }));
    await user.click(screen.getByRole("button", { name: "Use a recovery code" }));
    await user.type(screen.getByLabelText("Recovery code"), "K7QM-2XPD-R000{Enter}");
    await waitFor(() => expect(server.callsTo("DELETE /auth/mfa/totp/")).toHaveLength(1));
    expect(server.callsTo("DELETE /auth/mfa/totp/")[0]?.body).toEqual({ recovery_code: "K7QM-2XPD-R000" });
  });

  it("puts a wrong code next to its field, and can be cancelled", async () => {
    const { user } = renderMfaSettings({
      "GET /auth/mfa/": { status: 200, data: mfaOn },
      "DELETE /auth/mfa/totp/": { status: 400, data: { code: "invalid_code", detail: "x" } },
    });
    await user.click(await screen.findByRole("button", { name: "Turn off authenticator app" }));
    const code = screen.getByLabelText("Authentication code");
    await user.type(code, "000000{Enter}");
    await waitFor(() => expect(code).toHaveAttribute("aria-invalid", "true"));
    expect(code).toHaveAccessibleDescription(/That code is not right/);
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByLabelText("Authentication code")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Turn off authenticator app" })).toBeInTheDocument();
  });
});
