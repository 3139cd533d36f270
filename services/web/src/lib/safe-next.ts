// Where to go after logging in: only a path inside this app, never another site.
export const DEFAULT_NEXT = "/dashboard";

const ORIGIN = "https://app.invalid";
// C0 controls, DEL and C1 controls: browsers strip some of them ("/\t/evil" becomes "//evil").
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Pages that would only bounce the user around after a login.
const LOOPS = /^\/(?:login|register)(?:[/?#]|$)/;

/**
 * Returns `value` if it is an absolute path inside this app ("/dashboard?tab=x"), otherwise
 * "/dashboard". Takes the value as given (URLSearchParams already decoded it once) and never
 * decodes it again, so "%2F%2Fevil.example" stays a harmless relative string and is refused.
 */
export function safeNext(value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return DEFAULT_NEXT;
  if (CONTROL.test(value) || value.includes("\\")) return DEFAULT_NEXT;
  // One leading slash: "//host" is protocol-relative, "javascript:", "https:" have no slash.
  if (value[0] !== "/" || value[1] === "/") return DEFAULT_NEXT;
  let url: URL;
  try {
    url = new URL(value, ORIGIN);
  } catch {
    return DEFAULT_NEXT;
  }
  // Belt and braces: whatever the parser made of it must still be on this origin.
  if (url.origin !== ORIGIN) return DEFAULT_NEXT;
  const path = url.pathname + url.search + url.hash;
  if (!path.startsWith("/") || path.startsWith("//") || LOOPS.test(path)) return DEFAULT_NEXT;
  return path;
}
