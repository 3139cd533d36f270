import { describe, expect, it } from "vitest";
import { safeNext } from "./safe-next.js";

describe("safeNext", () => {
  it.each([
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    // eslint-disable-next-line no-script-url -- the attack under test
    "javascript:alert(1)",
    "https://evil.example/",
    "http:/evil.example",
    "/\t/evil.example",
    "evil.example",
    "",
    null,
    undefined,
    42,
    "/login?next=/dashboard",
  ])("refuses %j", (value) => {
    expect(safeNext(value)).toBe("/dashboard");
  });

  it.each([
    ["/dashboard", "/dashboard"],
    ["/dashboard?tab=details", "/dashboard?tab=details"],
    ["/confirm-email/abc#x", "/confirm-email/abc#x"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
  ])("keeps %j", (value, expected) => {
    expect(safeNext(value)).toBe(expected);
  });
});
