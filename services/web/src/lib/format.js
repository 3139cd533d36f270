/** "21 Nov 2026, 18:00" in the browser's locale, or "—" for a missing or unreadable value. */
export function formatDateTime(value) {
  const date = new Date(value);
  if (!value || Number.isNaN(date.getTime())) return "—";
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

export function yesNo(value) {
  return value ? "Yes" : "No";
}
