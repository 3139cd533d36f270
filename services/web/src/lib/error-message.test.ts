import { describe, expect, it } from "vitest";
import { codeMessage, errorMessage, tooManyAttempts } from "./error-message";

describe("errorMessage", () => {
  it("uses the API's detail", () => {
    expect(errorMessage({ status: 400, code: "invalid_credentials", detail: "Wrong.", fields: {}, retryAfter: null })).toBe("Wrong.");
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
    expect(codeMessage(refused("invalid_password"))).toBe("The API's words.");
  });

  it("still puts a 429 as the wait", () => {
    expect(errorMessage({ ...refused("invalid_code"), status: 429, retryAfter: 9 })).toBe("Too many attempts. Try again in 9 seconds.");
  });
});
