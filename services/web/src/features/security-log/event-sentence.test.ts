import { describe, expect, it } from "vitest";
import { i18n } from "../../lib/i18n";
import { eventSentence } from "./event-sentence";

const say = (kind: string, details: Record<string, unknown> = {}, count = 1) => eventSentence({ kind, details, count });

describe("eventSentence", () => {
  it.each([
    [{ method: "password", second_factor: "", new_device: false }, "Signed in with a password"],
    [{ method: "password", second_factor: "totp", new_device: true }, "Signed in with a password and an authenticator app"],
    [{ method: "password", second_factor: "recovery_code" }, "Signed in with a password and a recovery code"],
    [{ method: "password", second_factor: "webauthn" }, "Signed in with a password and a security key"],
    [{ method: "passkey", second_factor: "" }, "Signed in with a passkey"],
    [{ method: "email_code", second_factor: "" }, "Signed in with an emailed code"],
    [{ method: "email_code", second_factor: "webauthn" }, "Signed in with an emailed code and a security key"],
    [{ method: "carrier_pigeon" }, "Signed in"],
    [{}, "Signed in"],
  ])("says signed_in %j as %j", (details, text) => {
    expect(say("signed_in", details)).toBe(text);
  });

  it.each([
    ["password", 3, "3 failed sign-in attempts with a password"],
    ["password", 1, "Failed sign-in attempt with a password"],
    ["email_code", 2, "2 failed sign-in attempts with an emailed code"],
    ["totp", 5, "5 failed sign-in attempts with an authenticator app code"],
    ["recovery_code", 1, "Failed sign-in attempt with a recovery code"],
    ["webauthn", 1, "Failed sign-in attempt with a passkey or security key"],
    ["smoke", 4, "4 failed sign-in attempts"],
  ])("says sign_in_failed by %s, %i times", (method, count, text) => {
    expect(say("sign_in_failed", { method }, count)).toBe(text);
  });

  it.each([
    ["password", "Confirmed it was you with a password"],
    ["totp", "Confirmed it was you with an authenticator app code"],
    ["webauthn", "Confirmed it was you with a passkey or security key"],
    ["", "Confirmed it was you"],
  ])("says reauthenticated with %j", (method, text) => {
    expect(say("reauthenticated", { method })).toBe(text);
  });

  it.each([
    ["factor_added", { factor: "passkey", name: "Laptop" }, "Added a passkey “Laptop”"],
    ["factor_added", { factor: "security_key", name: "Blue key" }, "Added a security key “Blue key”"],
    ["factor_added", { factor: "totp" }, "Added an authenticator app"],
    ["factor_added", { factor: "passkey", name: "  " }, "Added a passkey"],
    ["factor_added", { factor: "telepathy" }, "Added a sign-in method"],
    ["factor_removed", { factor: "passkey", name: "Laptop" }, "Removed a passkey “Laptop”"],
    ["factor_removed", { factor: "security_key" }, "Removed a security key"],
    ["factor_removed", { factor: "totp" }, "Removed an authenticator app"],
  ])("says %s %j", (kind, details, text) => {
    expect(say(kind, details)).toBe(text);
  });

  it.each([
    ["email_change_requested", { new_email: "countess@example.com" }, "Asked to change the email address to countess@example.com"],
    ["email_change_requested", {}, "Asked to change the email address"],
    ["email_changed", { old_email: "ada@example.com", new_email: "countess@example.com" }, "Email address changed from ada@example.com to countess@example.com"],
    ["email_changed", { new_email: "countess@example.com" }, "Email address changed to countess@example.com"],
    ["email_changed", {}, "Email address changed"],
    ["recovery_code_used", { remaining: 7 }, "Used a recovery code (7 left)"],
    ["recovery_code_used", { remaining: 1 }, "Used a recovery code (1 left)"],
    ["recovery_code_used", { remaining: 0 }, "Used a recovery code (none left)"],
    ["recovery_code_used", {}, "Used a recovery code"],
  ])("says %s %j", (kind, details, text) => {
    expect(say(kind, details)).toBe(text);
  });

  it.each([
    ["signed_out", "Signed out"],
    ["session_revoked", "Revoked a session"],
    ["logged_out_everywhere", "Logged out everywhere"],
    ["password_changed", "Password changed"],
    ["password_reset_requested", "Password reset requested"],
    ["password_reset_completed", "Password reset completed"],
    ["recovery_codes_regenerated", "Made new recovery codes"],
    ["account_deactivated", "Account deactivated by an administrator"],
    ["account_reactivated", "Account reactivated by an administrator"],
    ["mfa_reset", "Two-factor authentication reset by an administrator"],
    ["new_device_confirmed", "Confirmed a sign-in from a new device was you"],
    ["sign_in_disowned", "Reported a sign-in that wasn't you: signed out everywhere, password sign-in blocked until a reset"],
  ])("says %s as %j", (kind, text) => {
    expect(say(kind, kind === "session_revoked" ? { session: "3f0c2f3e-0000-4000-8000-000000000000" } : {})).toBe(text);
  });

  it("never says two kinds of the contract alike", () => {
    const kinds = [
      "signed_in", "sign_in_failed", "signed_out", "session_revoked", "logged_out_everywhere", "reauthenticated",
      "password_changed", "password_reset_requested", "password_reset_completed", "email_change_requested",
      "email_changed", "factor_added", "factor_removed", "recovery_code_used", "recovery_codes_regenerated",
      "account_deactivated", "account_reactivated", "mfa_reset", "new_device_confirmed", "sign_in_disowned",
      "reauthentication_failed", "roles_changed",
    ];
    expect(new Set(kinds.map((kind) => say(kind))).size).toBe(kinds.length);
  });

  it("says failed confirmations, counted, and role changes", () => {
    expect(say("reauthentication_failed", { method: "password" }, 2)).toBe(
      "2 failed attempts to confirm it was you with a password",
    );
    expect(say("reauthentication_failed", { method: "totp" })).toBe(
      "Failed attempt to confirm it was you with an authenticator app code",
    );
    expect(say("roles_changed", { roles: ["admin", "member"] })).toBe("Roles changed by an administrator to admin, member");
    expect(say("roles_changed", { roles: "admin" })).toBe("Roles changed by an administrator");
  });

  it("still says a kind it does not know, with its underscores as spaces", () => {
    expect(say("passkey_synced_elsewhere")).toBe("Passkey synced elsewhere");
    expect(say("")).toBe("Something happened");
  });

  it("copes with details that are not what the contract says", () => {
    expect(eventSentence({ kind: "signed_in", count: 1, details: null as unknown as Record<string, unknown> })).toBe("Signed in");
    expect(say("factor_added", { factor: 3, name: ["x"] })).toBe("Added a sign-in method");
    expect(say("recovery_code_used", { remaining: "7" })).toBe("Used a recovery code");
    expect(eventSentence({ kind: "sign_in_failed", count: Number.NaN, details: {} })).toBe("Failed sign-in attempt");
  });
});

describe("eventSentence in German", () => {
  // The page is German: by default eventSentence speaks the page's language.
  const sag = async (kind: string, details: Record<string, unknown> = {}, count = 1) => {
    await i18n.changeLanguage("de");
    return eventSentence({ kind, details, count });
  };

  it.each([
    ["signed_in", { method: "password", second_factor: "totp" }, 1, "Angemeldet mit einem Passwort und einer Authenticator-App"],
    ["signed_in", { method: "email_code" }, 1, "Angemeldet mit einem per E-Mail gesendeten Code"],
    ["sign_in_failed", { method: "password" }, 3, "3 fehlgeschlagene Anmeldeversuche mit einem Passwort"],
    ["sign_in_failed", {}, 1, "Fehlgeschlagener Anmeldeversuch"],
    ["reauthenticated", { method: "webauthn" }, 1, "Identität mit einem Passkey oder Sicherheitsschlüssel bestätigt"],
    ["reauthentication_failed", { method: "totp" }, 2, "2 fehlgeschlagene Versuche, die Identität mit einem Code aus der Authenticator-App zu bestätigen"],
    ["factor_added", { factor: "passkey", name: "Laptop" }, 1, "Passkey „Laptop“ hinzugefügt"],
    ["factor_removed", { factor: "totp" }, 1, "Authenticator-App entfernt"],
    ["email_changed", { old_email: "ada@example.com", new_email: "countess@example.com" }, 1, "E-Mail-Adresse von ada@example.com in countess@example.com geändert"],
    ["recovery_code_used", { remaining: 0 }, 1, "Wiederherstellungscode verwendet (keiner mehr übrig)"],
    ["roles_changed", { roles: ["admin", "member"] }, 1, "Rollen von einem Administrator geändert in Administrator, Mitglied"],
    ["passkey_synced", {}, 1, "Sonstiges Ereignis: Passkey synced"],
  ])("says %s %j (%i) as %j", async (kind, details, count, text) => {
    expect(await sag(kind, details, count)).toBe(text);
  });
});
