import { beforeEach, describe, expect, it, vi } from "vitest";
import { fakeApi } from "../../../testing/fake-api";
import { attestation, creationOptions as creation, fakeBrowser } from "../../../testing/fake-webauthn";
import { addWebauthnCredential } from "./add-webauthn-credential";
import { beginWebauthnRegistration } from "./begin-webauthn-registration";
import { confirmTotp } from "./confirm-totp";
import { getMfaStatus } from "./get-mfa-status";
import { getWebauthnCredentials } from "./get-webauthn-credentials";
import { regenerateRecoveryCodes } from "./regenerate-recovery-codes";
import { registerWebauthnCredential } from "./register-webauthn-credential";
import { removeWebauthnCredential } from "./remove-webauthn-credential";
import { renameWebauthnCredential } from "./rename-webauthn-credential";
import { setUpTotp } from "./set-up-totp";
import { turnOffTotp } from "./turn-off-totp";

vi.mock("@simplewebauthn/browser", async () => (await import("../../../testing/fake-webauthn")).fakeBrowser);

const codes = Array.from({ length: 10 }, (_, index) => `AAAA-BBBB-CC${String(index).padStart(2, "0")}`);
const key = { id: 4, name: "Blue key", passwordless: false, created_at: "2026-11-21T18:00:00Z", last_used_at: null };

describe("the second-factor settings calls", () => {
  beforeEach(() => {
    document.cookie = "csrftoken=abc; path=/";
  });

  it("read the status, filling in what an answer leaves out", async () => {
    fakeApi({ "GET /auth/mfa/": { status: 200, data: { totp_enabled: true, totp_enabled_at: "2026-11-21T18:00:00Z", recovery_codes_remaining: 9 } } });
    await expect(getMfaStatus()).resolves.toEqual({
      totp_enabled: true,
      totp_enabled_at: "2026-11-21T18:00:00Z",
      recovery_codes_remaining: 9,
      webauthn_credentials: 0,
    });
  });

  it("set up, confirm (spaces dropped) and turn off the app with the contract's bodies", async () => {
    const server = fakeApi({
      "POST /auth/mfa/totp/setup/": { status: 200, data: { secret: "JBSWY3DPEHPK3PXP", otpauth_uri: "otpauth://totp/x" } },
      "POST /auth/mfa/totp/confirm/": { status: 200, data: { recovery_codes: codes } },
      "DELETE /auth/mfa/totp/": { status: 204 },
    });
    await expect(setUpTotp()).resolves.toEqual({ secret: "JBSWY3DPEHPK3PXP", otpauth_uri: "otpauth://totp/x" });
    await expect(confirmTotp({ code: "123 456" })).resolves.toEqual({ recovery_codes: codes });
    await turnOffTotp({ code: "654 321" });
    await turnOffTotp({ recoveryCode: " AAAA-BBBB-CC00 " });
    expect(server.calls.map((call) => [`${call.method} ${call.url}`, call.body])).toEqual([
      ["POST /auth/mfa/totp/setup/", null],
      ["POST /auth/mfa/totp/confirm/", { code: "123456" }],
      ["DELETE /auth/mfa/totp/", { code: "654321" }],
      ["DELETE /auth/mfa/totp/", { recovery_code: "AAAA-BBBB-CC00" }],
    ]);
  });

  it("make a new set of recovery codes", async () => {
    fakeApi({ "POST /auth/mfa/recovery-codes/": { status: 200, data: { recovery_codes: codes } } });
    await expect(regenerateRecoveryCodes()).resolves.toEqual({ recovery_codes: codes });
  });

  it("list, rename and remove WebAuthn credentials", async () => {
    const server = fakeApi({
      "GET /auth/mfa/webauthn/": { status: 200, data: [key] },
      "PATCH /auth/mfa/webauthn/4/": ({ body }) => ({ status: 200, data: { ...key, ...body } }),
      "DELETE /auth/mfa/webauthn/4/": { status: 204 },
    });
    await expect(getWebauthnCredentials()).resolves.toEqual([key]);
    await expect(renameWebauthnCredential(4, "  Red key ")).resolves.toEqual({ ...key, name: "Red key" });
    await removeWebauthnCredential(4);
    expect(server.calls.map((call) => [`${call.method} ${call.url}`, call.body])).toEqual([
      ["GET /auth/mfa/webauthn/", null],
      ["PATCH /auth/mfa/webauthn/4/", { name: "Red key" }],
      ["DELETE /auth/mfa/webauthn/4/", null],
    ]);
  });

  it("register: begin with the kind, then send the name and the attestation", async () => {
    const server = fakeApi({
      "POST /auth/mfa/webauthn/register/begin/": { status: 200, data: { options: creation } },
      "POST /auth/mfa/webauthn/register/": { status: 201, data: { credential: key } },
    });
    await expect(beginWebauthnRegistration(true)).resolves.toEqual(creation);
    // An answer without recovery_codes means none to show.
    await expect(registerWebauthnCredential("Blue key", attestation)).resolves.toEqual({ credential: key, recovery_codes: [] });
    expect(server.calls.map((call) => call.body)).toEqual([{ passwordless: true }, { name: "Blue key", credential: attestation }]);
  });

  it("addWebauthnCredential runs begin, the browser's create and register in order", async () => {
    fakeBrowser.startRegistration.mockResolvedValue(attestation);
    const server = fakeApi({
      "POST /auth/mfa/webauthn/register/begin/": { status: 200, data: { options: creation } },
      "POST /auth/mfa/webauthn/register/": { status: 201, data: { credential: key, recovery_codes: codes } },
    });
    await expect(addWebauthnCredential({ name: "Blue key", passwordless: false })).resolves.toEqual({ credential: key, recovery_codes: codes });
    expect(fakeBrowser.startRegistration).toHaveBeenCalledWith({ optionsJSON: creation });
    expect(server.calls.map((call) => call.body)).toEqual([{ passwordless: false }, { name: "Blue key", credential: attestation }]);
  });
});
