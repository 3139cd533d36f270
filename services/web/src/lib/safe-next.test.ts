import { describe, expect, it } from "vitest";
import { DEFAULT_NEXT, safeNext } from "./safe-next";

describe("safeNext", () => {
  it.each([
    ["protocol-relative URL", "//evil.example"],
    ["protocol-relative URL with a path", "//evil.example/dashboard"],
    ["slash then backslash", "/\\evil.example"],
    ["backslashes only", "\\\\evil.example"],
    ["a backslash anywhere", "/dashboard\\..\\evil"],
    ["javascript: URL", "javascript:alert(1)"],
    ["javascript: URL in upper case", "JaVaScRiPt:alert(1)"],
    ["https URL", "https://evil.example"],
    ["http URL with one slash", "http:/evil.example"],
    ["data: URL", "data:text/html,<script>alert(1)</script>"],
    ["tab between the slashes", "/\t/evil.example"],
    ["newline between the slashes", "/\n/evil.example"],
    ["NUL byte", "/dashboard\u0000"],
    ["C1 control", "/\u0085/evil.example"],
    ["relative path", "evil.example"],
    ["leading space", " /dashboard"],
    ["encoded slashes without a leading slash", "%2F%2Fevil.example"],
    ["double-encoded slashes", "%252F%252Fevil.example"],
    ["encoded backslash without a leading slash", "%5C%5Cevil.example"],
    ["the login page itself", "/login?next=/dashboard"],
    ["the register page", "/register"],
    ["empty string", ""],
    ["null", null],
    ["undefined", undefined],
    ["a number", 42],
    ["something very long", `/${"a".repeat(5000)}`],
  ])("refuses %s", (_name, value) => {
    expect(safeNext(value)).toBe(DEFAULT_NEXT);
  });

  it.each([
    ["/dashboard", "/dashboard"],
    ["/dashboard?x=1", "/dashboard?x=1"],
    ["/dashboard?tab=details#top", "/dashboard?tab=details#top"],
    ["/confirm-email/abc", "/confirm-email/abc"],
    ["/login-help", "/login-help"],
  ])("keeps %j", (value, expected) => {
    expect(safeNext(value)).toBe(expected);
  });

  it("does not decode what URLSearchParams already decoded once", () => {
    // ?next=%2F%2Fevil.example arrives as "//evil.example" and is refused.
    expect(safeNext(new URLSearchParams("next=%2F%2Fevil.example").get("next"))).toBe(DEFAULT_NEXT);
    expect(safeNext(new URLSearchParams("next=%2F%5Cevil.example").get("next"))).toBe(DEFAULT_NEXT);
    // ?next=%252F%252Fevil.example arrives as "%2F%2Fevil.example": no leading slash, refused.
    expect(safeNext(new URLSearchParams("next=%252F%252Fevil.example").get("next"))).toBe(DEFAULT_NEXT);
    // ?next=%2Fdashboard%3Fx%3D1 arrives as "/dashboard?x=1".
    expect(safeNext(new URLSearchParams("next=%2Fdashboard%3Fx%3D1").get("next"))).toBe("/dashboard?x=1");
  });

  it("keeps encoded slashes inside a path as a path on this site", () => {
    const next = safeNext("/%2F%2Fevil.example");
    expect(next).toBe("/%2F%2Fevil.example");
    expect(new URL(next, "https://app.example").origin).toBe("https://app.example");
  });

  it("normalises dot segments without leaving the site", () => {
    expect(safeNext("/a/../dashboard")).toBe("/dashboard");
    expect(safeNext("/..//evil.example")).toBe(DEFAULT_NEXT);
  });
});
