import { screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { defined } from "../../../testing/defined";
import { mfaOff, mfaOn, recoveryCodes, totpSecret } from "../../../testing/mfa-fixtures";
import { renderMfaSettings } from "../../../testing/render-mfa-settings";

const blobs: Blob[] = [];
const clicked: { href: string; download: string }[] = [];

beforeEach(() => {
  blobs.length = 0;
  clicked.length = 0;
  // jsdom has no object URLs and does not download: record what would have been saved.
  URL.createObjectURL = vi.fn((blob: Blob) => {
    blobs.push(blob);
    return "blob:http://localhost/recovery-codes";
  });
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push({ href: this.href, download: this.download });
  });
});

afterEach(() => {
  Reflect.deleteProperty(URL, "createObjectURL");
  Reflect.deleteProperty(URL, "revokeObjectURL");
});

function statusAfterConfirm() {
  let on = false;
  return {
    "GET /auth/mfa/": () => ({ status: 200, data: on ? mfaOn : mfaOff }),
    "POST /auth/mfa/totp/setup/": { status: 200, data: totpSecret },
    "POST /auth/mfa/totp/confirm/": () => {
      on = true;
      return { status: 200, data: { recovery_codes: recoveryCodes } };
    },
  };
}

describe("setting up the authenticator app", () => {
  it("shows a locally drawn QR code and the secret, turns on with a code, then shows the codes once", async () => {
    const { user, server } = renderMfaSettings(statusAfterConfirm());
    expect(await screen.findByText("Off.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Set up authenticator app" }));

    const qr = await screen.findByRole("img", { name: "QR code to add this account to your authenticator app" });
    const src = defined(qr.getAttribute("src"), "the QR code's src");
    // Drawn here: an SVG in a data: URL, never an image fetched from a QR service.
    expect(src.startsWith("data:image/svg+xml;charset=utf-8,")).toBe(true);
    const svg = decodeURIComponent(src.slice(src.indexOf(",") + 1));
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain("<path");
    expect(svg).not.toContain(totpSecret.secret);

    const secret = screen.getByLabelText("Secret key");
    expect(secret).toHaveValue(totpSecret.secret);
    expect(secret).toHaveAttribute("readonly");

    const code = screen.getByLabelText("Code from the app");
    expect(code).toHaveAttribute("autocomplete", "one-time-code");
    expect(code).toHaveAttribute("inputmode", "numeric");
    await user.type(code, "123 456");
    await user.click(screen.getByRole("button", { name: "Turn on" }));

    const list = await screen.findByRole("list", { name: "Recovery codes" });
    expect(within(list).getAllByRole("listitem").map((item) => item.textContent)).toEqual(recoveryCodes);
    expect(screen.getByRole("heading", { name: "The authenticator app is on" })).toHaveFocus();
    expect(server.callsTo("POST /auth/mfa/totp/confirm/")[0]?.body).toEqual({ code: "123456" });

    await user.click(screen.getByRole("button", { name: "Download codes" }));
    expect(clicked).toEqual([{ href: "blob:http://localhost/recovery-codes", download: "recovery-codes.txt" }]);
    const file = defined(blobs[0], "the downloaded file");
    expect(file.type).toBe("text/plain;charset=utf-8");
    const text = await file.text();
    for (const recoveryCode of recoveryCodes) expect(text).toContain(`\n${recoveryCode}\n`);

    await user.click(screen.getByRole("button", { name: "I have saved them" }));
    await waitFor(() => expect(screen.queryByRole("list", { name: "Recovery codes" })).not.toBeInTheDocument());
    expect(await screen.findByText(/^On$/)).toBeInTheDocument();
    expect(screen.getByText("The authenticator app is on. You will be asked for a code when you log in.")).toBeInTheDocument();
    expect(screen.getByText("You have 10 unused recovery codes.")).toBeInTheDocument();
    expect(screen.queryByText(recoveryCodes[0] ?? "")).not.toBeInTheDocument();
  });

  it("puts a wrong code next to its field and keeps the secret up", async () => {
    const { user } = renderMfaSettings({
      "POST /auth/mfa/totp/setup/": { status: 200, data: totpSecret },
      "POST /auth/mfa/totp/confirm/": { status: 400, data: { code: "invalid_code", detail: "x" } },
    });
    await user.click(await screen.findByRole("button", { name: "Set up authenticator app" }));
    const code = await screen.findByLabelText("Code from the app");
    await user.type(code, "000000{Enter}");
    await waitFor(() => expect(code).toHaveAttribute("aria-invalid", "true"));
    expect(code).toHaveAccessibleDescription(/That code is not right/);
    expect(screen.getByLabelText("Secret key")).toHaveValue(totpSecret.secret);
  });

  it("explains a set-up that is gone (totp_not_set_up), and can be cancelled", async () => {
    const { user } = renderMfaSettings({
      "POST /auth/mfa/totp/setup/": { status: 200, data: totpSecret },
      "POST /auth/mfa/totp/confirm/": { status: 400, data: { code: "totp_not_set_up", detail: "x" } },
    });
    await user.click(await screen.findByRole("button", { name: "Set up authenticator app" }));
    await user.type(await screen.findByLabelText("Code from the app"), "123456{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("Set up the authenticator app first");
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByLabelText("Secret key")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Set up authenticator app" })).toBeInTheDocument();
  });

  it("shows why the set-up could not start", async () => {
    const { user } = renderMfaSettings({
      "POST /auth/mfa/totp/setup/": { status: 400, data: { code: "totp_already_enabled", detail: "x" } },
    });
    await user.click(await screen.findByRole("button", { name: "Set up authenticator app" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The authenticator app is already on for your account.");
  });
});
