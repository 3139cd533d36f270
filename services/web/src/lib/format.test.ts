import { describe, expect, it, vi } from "vitest";
import { dateLocale, formatDate, formatDateTime, formatExactDateTime, formatRelativeTime, yesNo } from "./format";
import { i18n } from "./i18n";

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

describe("formatExactDateTime", () => {
  it("has the seconds and the time zone", () => {
    const text = formatExactDateTime("2026-11-21T18:00:05Z", "en-US");
    expect(text).toContain("2026");
    expect(text).toContain(":05");
    expect(formatExactDateTime(null)).toBe("—");
    expect(formatExactDateTime("nope")).toBe("—");
  });
});

describe("formatDateTime and yesNo", () => {
  it("say — for nothing, and Yes or No", () => {
    expect(formatDateTime(undefined)).toBe("—");
    expect(yesNo(1)).toBe("Yes");
    expect(yesNo("")).toBe("No");
  });
});

describe("in the page's language", () => {
  it("formats with the browser's region of that language, else the language itself", () => {
    expect(dateLocale("en", ["en-GB", "de-DE"])).toBe("en-GB");
    expect(dateLocale("de", ["en-GB", "de-AT"])).toBe("de-AT");
    expect(dateLocale("de", ["en-US"])).toBe("de");
  });

  it("says dates, times and yes/no in German once the page is", async () => {
    await i18n.changeLanguage("de");
    expect(formatDate("2026-11-21T18:00:00Z", "de")).toBe("21. November 2026");
    expect(formatRelativeTime(ago(2 * 3600), now, "de")).toBe("vor 2 Stunden");
    expect(formatRelativeTime(ago(24 * 3600), now, "de")).toBe("gestern");
    expect(yesNo(true)).toBe("Ja");
    expect(yesNo(false)).toBe("Nein");
  });

  it("follows the page's language when no locale is given", async () => {
    vi.stubGlobal("navigator", { ...navigator, languages: ["en-US"] });
    expect(formatDate("2026-11-21T18:00:00Z")).toBe("November 21, 2026");
    await i18n.changeLanguage("de");
    expect(formatDate("2026-11-21T18:00:00Z")).toBe("21. November 2026");
  });
});
