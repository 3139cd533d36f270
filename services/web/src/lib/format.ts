/** "21 Nov 2026, 18:00" in the browser's locale, or "—" for a missing or unreadable value. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

export function yesNo(value: unknown): "Yes" | "No" {
  return value ? "Yes" : "No";
}
