import { describe, expect, it } from "vitest";
import { codeMessage, errorMessage, tooManyAttempts } from "./error-message";
import { i18n } from "./i18n";

describe("errorMessage", () => {
  it("uses the API's detail for a code it has no words of its own for", () => {
    expect(errorMessage({ status: 403, code: "permission_denied", detail: "Wrong.", fields: {}, retryAfter: null })).toBe("Wrong.");
    expect(errorMessage({ status: 400, code: "something_new", detail: "", fields: {}, retryAfter: null })).toBe(
      "Something went wrong. Please try again.",
    );
  });

  it("turns a 429 into the wait time", () => {
    expect(errorMessage({ status: 429, code: "throttled", detail: "x", fields: {}, retryAfter: 30 })).toBe(
      "Too many attempts. Try again in 30 seconds.",
    );
    expect(tooManyAttempts(1)).toBe("Too many attempts. Try again in 1 second.");
    expect(tooManyAttempts(null)).toBe("Too many attempts. Try again in a moment.");
  });

  it("adds messages for fields the form does not show", () => {
    const error = {
      status: 400,
      code: "validation_error",
      detail: "Some fields are invalid.",
      fields: { email: ["Bad email."], non_field_errors: ["Something else."] },
      retryAfter: null,
    };
    expect(errorMessage(error, ["email"])).toBe("Some fields are invalid. Something else.");
  });

  it("is empty without an error", () => {
    expect(errorMessage(null)).toBeNull();
  });
});

describe("the second factors' codes", () => {
  const refused = (code: string) => ({ status: 400, code, detail: "The API's words.", fields: {}, retryAfter: null });

  it.each([
    ["invalid_code", /not right, or it has already been used/],
    ["invalid_challenge", /log in again/],
    ["invalid_credential", /passkey or security key was not accepted/],
    ["reauthentication_required", /confirm it's you/],
    ["totp_not_set_up", /Set up the authenticator app first/],
    ["totp_already_enabled", /already on/],
    ["totp_not_enabled", /not on/],
    ["mfa_not_enabled", /Turn on two-factor authentication first/],
    ["webauthn_cancelled", /cancelled or timed out/],
  ])("say what %s means in our words", (code, words) => {
    const message = errorMessage(refused(code));
    expect(message).toMatch(words);
    expect(message).not.toContain("The API's words.");
  });

  it("keeps the API's detail for the codes it has no words of its own for", () => {
    expect(codeMessage(refused("permission_denied"))).toBe("The API's words.");
  });

  it("still puts a 429 as the wait", () => {
    expect(errorMessage({ ...refused("invalid_code"), status: 429, retryAfter: 9 })).toBe("Too many attempts. Try again in 9 seconds.");
  });
});

describe("the codes in the page's language", () => {
  const refused = (code: string, status = 400) => ({ status, code, detail: "The API's words.", fields: {}, retryAfter: null });

  it.each([
    ["invalid_credentials", "Unable to log in with the provided credentials.", "Mit diesen Anmeldedaten ist keine Anmeldung möglich."],
    ["invalid_password", "The password is not correct.", "Das Passwort ist nicht korrekt."],
    ["invalid_reset", "This reset link or code is invalid or has expired.", "Dieser Link oder Code zum Zurücksetzen ist ungültig oder abgelaufen."],
    ["invalid_key", "This confirmation link is invalid or has expired.", "Dieser Bestätigungslink ist ungültig oder abgelaufen."],
    ["email_not_confirmed", /^Please confirm your email address first/, /^Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse/],
    ["password_reset_required", /blocked until you reset it/, /gesperrt, bis Sie es zurücksetzen/],
    ["too_many_credentials", /as many passkeys and security keys as it can have/, /so viele Passkeys und Sicherheitsschlüssel/],
    ["validation_error", "Some fields are invalid.", "Einige Felder sind ungültig."],
    ["csrf_failed", "CSRF check failed.", "Die CSRF-Prüfung ist fehlgeschlagen."],
    ["database_busy", "The service is busy. Try again in a moment.", "Der Dienst ist ausgelastet. Versuchen Sie es gleich noch einmal."],
    ["server_error", "Internal server error.", "Interner Serverfehler."],
    ["bad_gateway", "The API is unavailable. Try again shortly.", "Die API ist nicht erreichbar. Versuchen Sie es in Kürze erneut."],
    ["network_error", /^Cannot reach the server/, /^Der Server ist nicht erreichbar/],
    ["timeout", /took too long/, /zu lange/],
    ["invalid_code", /not right, or it has already been used/, /nicht richtig oder wurde bereits verwendet/],
  ])("says %s in English, or in German when the page is", async (code, english, german) => {
    expect(errorMessage(refused(code))).toMatch(english);
    await i18n.changeLanguage("de");
    expect(errorMessage(refused(code))).toMatch(german);
  });

  it("says the wait in German, and keeps the API's (already German) detail for other codes", async () => {
    await i18n.changeLanguage("de");
    expect(errorMessage({ ...refused("throttled", 429), retryAfter: 1 })).toBe("Zu viele Versuche. Versuchen Sie es in 1 Sekunde erneut.");
    expect(tooManyAttempts(null)).toBe("Zu viele Versuche. Versuchen Sie es gleich noch einmal.");
    expect(errorMessage({ ...refused("permission_denied", 403), detail: "Keine Berechtigung." })).toBe("Keine Berechtigung.");
  });
});
