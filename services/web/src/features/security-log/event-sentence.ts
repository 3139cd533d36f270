// What a security-log event was, as one sentence, from its kind, count and details
// (GET /api/auth/security-log/). Pure: the list and its tests use it alike.
import type { SecurityEvent } from "../../lib/api-types";

type Details = SecurityEvent["details"];

/** A string field of the details, trimmed, or "" (details are the API's, of any shape). */
function text(details: unknown, key: string): string {
  if (!details || typeof details !== "object") return "";
  const value: unknown = new Map(Object.entries(details)).get(key);
  return typeof value === "string" ? value.trim() : "";
}

/** A number field of the details, or null. */
function number(details: unknown, key: string): number | null {
  if (!details || typeof details !== "object") return null;
  const value: unknown = new Map(Object.entries(details)).get(key);
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

// How a sign-in began (details.method of signed_in).
const SIGN_IN_METHODS = new Map<string, string>([
  ["password", "a password"],
  ["passkey", "a passkey"],
  ["email_code", "an emailed code"],
]);

// The second step of a sign-in (details.second_factor of signed_in).
const SECOND_FACTORS = new Map<string, string>([
  ["totp", "an authenticator app"],
  ["recovery_code", "a recovery code"],
  ["webauthn", "a security key"],
]);

// What a failed sign-in tried (details.method of sign_in_failed).
const FAILED_METHODS = new Map<string, string>([
  ["password", "a password"],
  ["email_code", "an emailed code"],
  ["totp", "an authenticator app code"],
  ["recovery_code", "a recovery code"],
  ["webauthn", "a passkey or security key"],
]);

// How someone confirmed it was them (details.method of reauthenticated).
const REAUTH_METHODS = new Map<string, string>([
  ["password", "a password"],
  ["totp", "an authenticator app code"],
  ["webauthn", "a passkey or security key"],
]);

// details.factor of factor_added and factor_removed.
const FACTORS = new Map<string, string>([
  ["totp", "an authenticator app"],
  ["passkey", "a passkey"],
  ["security_key", "a security key"],
]);

/** " with a password", or "" when the API does not say (or says something new). */
function using(words: Map<string, string>, details: Details, key = "method"): string {
  const word = words.get(text(details, key));
  return word ? ` with ${word}` : "";
}

function signedIn(details: Details): string {
  const method = SIGN_IN_METHODS.get(text(details, "method"));
  if (!method) return "Signed in";
  const factor = SECOND_FACTORS.get(text(details, "second_factor"));
  return factor ? `Signed in with ${method} and ${factor}` : `Signed in with ${method}`;
}

function failedSignIn(details: Details, count: number): string {
  const attempts = count > 1 ? `${count} failed sign-in attempts` : "Failed sign-in attempt";
  return attempts + using(FAILED_METHODS, details);
}

/** "Added a passkey “Laptop”", "Removed an authenticator app". */
function factor(verb: "Added" | "Removed", details: Details): string {
  const what = FACTORS.get(text(details, "factor")) ?? "a sign-in method";
  const name = text(details, "name");
  return name ? `${verb} ${what} “${name}”` : `${verb} ${what}`;
}

function emailChangeRequested(details: Details): string {
  const to = text(details, "new_email");
  return to ? `Asked to change the email address to ${to}` : "Asked to change the email address";
}

function emailChanged(details: Details): string {
  const from = text(details, "old_email");
  const to = text(details, "new_email");
  if (from && to) return `Email address changed from ${from} to ${to}`;
  if (to) return `Email address changed to ${to}`;
  return "Email address changed";
}

function failedConfirmation(details: Details, count: number): string {
  const attempts = count > 1 ? `${count} failed attempts to confirm it was you` : "Failed attempt to confirm it was you";
  return attempts + using(REAUTH_METHODS, details);
}

function rolesChanged(details: Details): string {
  const roles = Array.isArray(details.roles) ? details.roles.filter((role) => typeof role === "string") : [];
  return roles.length ? `Roles changed by an administrator to ${roles.join(", ")}` : "Roles changed by an administrator";
}

function recoveryCodeUsed(details: Details): string {
  const remaining = number(details, "remaining");
  if (remaining === null) return "Used a recovery code";
  if (remaining === 0) return "Used a recovery code (none left)";
  return `Used a recovery code (${remaining} left)`;
}

type Sentence = (details: Details, count: number) => string;

const SENTENCES = new Map<string, Sentence>([
  ["signed_in", signedIn],
  ["sign_in_failed", failedSignIn],
  ["signed_out", () => "Signed out"],
  ["session_revoked", () => "Revoked a session"],
  ["logged_out_everywhere", () => "Logged out everywhere"],
  ["reauthenticated", (details) => `Confirmed it was you${using(REAUTH_METHODS, details)}`],
  ["reauthentication_failed", failedConfirmation],
  ["password_changed", () => "Password changed"],
  ["password_reset_requested", () => "Password reset requested"],
  ["password_reset_completed", () => "Password reset completed"],
  ["email_change_requested", emailChangeRequested],
  ["email_changed", emailChanged],
  ["factor_added", (details) => factor("Added", details)],
  ["factor_removed", (details) => factor("Removed", details)],
  ["recovery_code_used", recoveryCodeUsed],
  ["recovery_codes_regenerated", () => "Made new recovery codes"],
  ["account_deactivated", () => "Account deactivated by an administrator"],
  ["account_reactivated", () => "Account reactivated by an administrator"],
  ["roles_changed", rolesChanged],
  ["mfa_reset", () => "Two-factor authentication reset by an administrator"],
  ["new_device_confirmed", () => "Confirmed a sign-in from a new device was you"],
  ["sign_in_disowned", () => "Reported a sign-in that wasn't you: signed out everywhere, password sign-in blocked until a reset"],
]);

/** A kind this app does not know yet, readable: "passkey_synced" → "Passkey synced". */
function unknownKind(kind: string): string {
  const words = kind.replace(/_/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : "Something happened";
}

/**
 * "Signed in with a passkey", "Signed in with a password and an authenticator app",
 * "3 failed sign-in attempts with a password", "Added a passkey “Laptop”"…
 */
export function eventSentence({ kind, count, details }: Pick<SecurityEvent, "kind" | "count" | "details">): string {
  const sentence = SENTENCES.get(kind);
  const times = typeof count === "number" && Number.isFinite(count) ? Math.trunc(count) : 1;
  return sentence ? sentence(details, times) : unknownKind(String(kind ?? ""));
}
