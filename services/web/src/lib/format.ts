/** "21 Nov 2026, 18:00" in the browser's locale, or "—" for a missing or unreadable value. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/**
 * The exact moment, seconds and time zone included ("November 21, 2026 at 6:00:00 PM UTC" in
 * en-US), e.g. for the title of a relative time; "—" for a missing or unreadable value.
 */
export function formatExactDateTime(value: string | null | undefined, locale?: string): string {
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "long" }).format(date);
}

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
 * "2 hours ago", "yesterday", "now" (Intl.RelativeTimeFormat in the browser's locale) for an
 * ISO time, measured from `now`; under a minute either way is "now", so a clock a little ahead
 * of the server's never says "in 5 seconds". "—" for a missing or unreadable value.
 */
export function formatRelativeTime(value: string | null | undefined, now: number = Date.now(), locale?: string): string {
  if (!value) return "—";
  const time = new Date(value).getTime();
  if (Number.isNaN(time)) return "—";
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  let amount = (time - now) / 1000;
  if (Math.abs(amount) < 60) return format.format(0, "second");
  for (const [unit, size] of UNITS) {
    if (Math.abs(amount) < size) return format.format(Math.trunc(amount), unit);
    amount /= size;
  }
  return format.format(Math.trunc(amount), "year");
}

export function yesNo(value: unknown): "Yes" | "No" {
  return value ? "Yes" : "No";
}
