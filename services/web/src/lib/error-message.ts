// The sentence to show at the top of a form for an API error from the api-client.
import type { ApiError } from "./api-client";

export function tooManyAttempts(retryAfter: number | null | undefined): string {
  if (typeof retryAfter === "number" && Number.isFinite(retryAfter) && retryAfter > 0) {
    return `Too many attempts. Try again in ${retryAfter} ${retryAfter === 1 ? "second" : "seconds"}.`;
  }
  return "Too many attempts. Try again in a moment.";
}

/**
 * Our own wording for the codes where the API's `detail` would not tell the user what to do
 * next. The API's codes (docs/api.md) come first, then the ones lib/webauthn.ts gives the
 * browser's refusals (status 0: nothing reached the server).
 */
const MESSAGES = new Map<string, string>([
  ["invalid_code", "That code is not right, or it has already been used. Check it and try again."],
  ["invalid_challenge", "Your sign-in expired or was interrupted. Please log in again."],
  ["invalid_credential", "That passkey or security key was not accepted. Try again, or use another way."],
  ["reauthentication_required", "For your security, confirm it's you before making this change. Try again and confirm when asked."],
  ["totp_not_set_up", "Set up the authenticator app first, then enter a code from it."],
  ["totp_already_enabled", "The authenticator app is already on for your account."],
  ["totp_not_enabled", "The authenticator app is not on for your account."],
  ["mfa_not_enabled", "Turn on two-factor authentication first: add an authenticator app, a passkey or a security key."],
  ["webauthn_cancelled", "The passkey or security key request was cancelled or timed out. You can try again."],
  ["webauthn_already_registered", "This passkey or security key is already registered to your account."],
  ["webauthn_unsupported", "This browser cannot use passkeys or security keys. Try another way, or another browser."],
  ["webauthn_failed", "Your browser could not use the passkey or security key. Try again, or use another way."],
]);

/** The sentence for one error: ours for the codes above, otherwise the API's detail. */
export function codeMessage(error: Pick<ApiError, "code" | "detail">): string {
  return MESSAGES.get(error.code) ?? (error.detail || "Something went wrong. Please try again.");
}

/**
 * `shownFields` are the fields the form displays next to their inputs; messages for any other
 * field (e.g. non_field_errors) are added to the form-level message so nothing is lost.
 */
export function errorMessage(error: ApiError | null | undefined, shownFields: readonly string[] = []): string | null {
  if (!error) return null;
  if (error.status === 429) return tooManyAttempts(error.retryAfter);
  const detail = codeMessage(error);
  const others = Object.entries(error.fields)
    .filter(([field]) => !shownFields.includes(field))
    .flatMap(([, messages]: [string, unknown]) => (Array.isArray(messages) ? (messages as unknown[]).map(String) : [String(messages)]));
  return others.length ? `${detail} ${others.join(" ")}` : detail;
}
