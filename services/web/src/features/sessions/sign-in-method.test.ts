import { describe, expect, it } from "vitest";
import { i18n } from "../../lib/i18n";
import { signInMethod } from "./sign-in-method";

describe("signInMethod", () => {
  it.each([
    ["password", null, "Password"],
    ["password", "totp", "Password + authenticator app"],
    ["password", "recovery_code", "Password + recovery code"],
    ["password", "webauthn", "Password + security key"],
    ["passkey", null, "Passkey"],
    ["email_code", null, "Emailed code"],
    ["email_code", "totp", "Emailed code + authenticator app"],
  ] as const)("says %s with %s as %j", (auth_method, second_factor, text) => {
    expect(signInMethod({ auth_method, second_factor })).toBe(text);
  });

  it("says nothing it does not know", () => {
    expect(signInMethod({})).toBe("—");
    expect(signInMethod({ auth_method: "smoke_signal" as "password", second_factor: null })).toBe("—");
  });
});

describe("signInMethod in German", () => {
  it.each([
    ["password", "totp", "Passwort + Authenticator-App"],
    ["email_code", null, "Code per E-Mail"],
    ["passkey", null, "Passkey"],
  ] as const)("says %s with %s as %j", async (auth_method, second_factor, text) => {
    await i18n.changeLanguage("de");
    expect(signInMethod({ auth_method, second_factor })).toBe(text);
  });
});
