// Relative times ("2 hours ago", "gestern") in the page's language, for the security log. Apart
// from lib/format.ts so that it loads with the page that shows them, not with the first load.
import { dateLocale, parseDate } from "./format";

// Up to how many of each unit a time is said in it before the next unit takes over.
const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
  ["week", 4.35],
  ["month", 12],
];

/**
 * "2 hours ago", "yesterday", "now" ("vor 2 Stunden", "gestern", "jetzt") for an ISO time,
 * measured from `now`; under a minute either way is "now", so a clock a little ahead of the
 * server's never says "in 5 seconds". "—" for a missing or unreadable value.
 */
export function formatRelativeTime(value: string | null | undefined, now: number = Date.now(), locale: string = dateLocale()): string {
  const date = parseDate(value);
  if (!date) return "—";
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  let amount = (date.getTime() - now) / 1000;
  if (Math.abs(amount) < 60) return format.format(0, "second");
  for (const [unit, size] of UNITS) {
    if (Math.abs(amount) < size) return format.format(Math.trunc(amount), unit);
    amount /= size;
  }
  return format.format(Math.trunc(amount), "year");
}
