// The sentence to show at the top of a form for an API error from the api-client.
import type { ApiError } from "./api-client";

export function tooManyAttempts(retryAfter: number | null | undefined): string {
  if (typeof retryAfter === "number" && Number.isFinite(retryAfter) && retryAfter > 0) {
    return `Too many attempts. Try again in ${retryAfter} ${retryAfter === 1 ? "second" : "seconds"}.`;
  }
  return "Too many attempts. Try again in a moment.";
}

/**
 * `shownFields` are the fields the form displays next to their inputs; messages for any other
 * field (e.g. non_field_errors) are added to the form-level message so nothing is lost.
 */
export function errorMessage(error: ApiError | null | undefined, shownFields: readonly string[] = []): string | null {
  if (!error) return null;
  if (error.status === 429) return tooManyAttempts(error.retryAfter);
  const detail = error.detail || "Something went wrong. Please try again.";
  const others = Object.entries(error.fields)
    .filter(([field]) => !shownFields.includes(field))
    .flatMap(([, messages]: [string, unknown]) => (Array.isArray(messages) ? (messages as unknown[]).map(String) : [String(messages)]));
  return others.length ? `${detail} ${others.join(" ")}` : detail;
}
