import { describe, expect, it, vi } from "vitest";
import { dateLocale, formatDate, formatDateTime, formatExactDateTime, yesNo } from "./format";
import { i18n } from "./i18n";

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

  it("says dates and yes/no in German once the page is", async () => {
    await i18n.changeLanguage("de");
    expect(formatDate("2026-11-21T18:00:00Z", "de")).toBe("21. November 2026");
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
