import { describe, expect, it } from "vitest";
import { formatRelativeTime } from "./relative-time";

const now = Date.parse("2026-11-21T18:00:00Z");
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

describe("formatRelativeTime", () => {
  it.each([
    [0, "now"],
    [59, "now"],
    [-30, "now"],
    [60, "1 minute ago"],
    [45 * 60, "45 minutes ago"],
    [2 * 3600, "2 hours ago"],
    [2 * 3600 + 59 * 60, "2 hours ago"],
    [23 * 3600, "23 hours ago"],
    [24 * 3600, "yesterday"],
    [3 * 86400, "3 days ago"],
    [7 * 86400, "last week"],
    [20 * 86400, "2 weeks ago"],
    [45 * 86400, "last month"],
    [200 * 86400, "6 months ago"],
    [400 * 86400, "last year"],
    [3 * 365 * 86400, "2 years ago"],
    [-2 * 3600, "in 2 hours"],
  ])("says %i seconds ago as %j", (seconds, text) => {
    expect(formatRelativeTime(ago(seconds), now, "en")).toBe(text);
  });

  it("says nothing it cannot read", () => {
    expect(formatRelativeTime(null, now, "en")).toBe("—");
    expect(formatRelativeTime("", now, "en")).toBe("—");
    expect(formatRelativeTime("not a date", now, "en")).toBe("—");
  });
});

describe("formatRelativeTime in German", () => {
  it("says it the German way", () => {
    expect(formatRelativeTime(ago(2 * 3600), now, "de")).toBe("vor 2 Stunden");
    expect(formatRelativeTime(ago(24 * 3600), now, "de")).toBe("gestern");
  });
});
