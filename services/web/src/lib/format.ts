// Dates and times in the page's language (lib/i18n.ts), or in `locale` when one is given.
// Relative times ("2 hours ago") are in lib/relative-time.ts: only a later page says them.
import { currentLanguage, i18n } from "./i18n";

/**
 * The page's language as the browser has it, region included ("en-GB", "de-AT"), so dates
 * look the way its user is used to; the bare language when the browser does not list it.
 */
export function dateLocale(language: string = currentLanguage(), browser: readonly string[] = navigator.languages): string {
  return browser.find((tag) => tag.toLowerCase().split("-")[0] === language) ?? language;
}

/** The date of an ISO time, or null for a missing or unreadable value. */
export function parseDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "November 21, 2026" (en-US) or "21. November 2026" (de), or "—" for a missing or unreadable value. */
export function formatDate(value: string | null | undefined, locale: string = dateLocale()): string {
  const date = parseDate(value);
  return date ? new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(date) : "—";
}

/** "Nov 21, 2026, 6:00 PM" (en-US) or "21.11.2026, 18:00" (de), or "—" for a missing or unreadable value. */
export function formatDateTime(value: string | null | undefined, locale: string = dateLocale()): string {
  const date = parseDate(value);
  return date ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(date) : "—";
}

/**
 * The exact moment, seconds and time zone included ("November 21, 2026 at 6:00:00 PM UTC" in
 * en-US), e.g. for the title of a relative time; "—" for a missing or unreadable value.
 */
export function formatExactDateTime(value: string | null | undefined, locale: string = dateLocale()): string {
  const date = parseDate(value);
  return date ? new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "long" }).format(date) : "—";
}

export function yesNo(value: unknown): string {
  return value ? i18n.t("yes") : i18n.t("no");
}
