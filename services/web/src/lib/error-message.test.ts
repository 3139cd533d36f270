import { describe, expect, it } from "vitest";
import { errorMessage, tooManyAttempts } from "./error-message";

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
