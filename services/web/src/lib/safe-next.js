// Where to go after login: only a path inside this app, never another site.
export const DEFAULT_NEXT = "/dashboard";

export function safeNext(value) {
  if (typeof value !== "string" || value.length === 0 || value.length > 2000) return DEFAULT_NEXT;
  // Control characters and backslashes are how "//evil" hides ("/\evil", "/\t/evil").
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return DEFAULT_NEXT;
  if (!value.startsWith("/") || value.startsWith("//")) return DEFAULT_NEXT;
  // Resolve against a dummy origin: anything that leaves it is refused.
  try {
    const url = new URL(value, "https://app.invalid");
    if (url.origin !== "https://app.invalid") return DEFAULT_NEXT;
    if (url.pathname.startsWith("/login")) return DEFAULT_NEXT;
    return url.pathname + url.search + url.hash;
  } catch {
    return DEFAULT_NEXT;
  }
}
