// What a security-log event was, as one sentence in the page's language, from its kind, count
// and details (GET /api/auth/security-log/). Pure: the list and its tests use it alike. Each
// sentence is a whole catalogue entry (security-log.json `events`), so every language orders it
// its own way; only the phrases for methods and factors are put into them.
import type { TFunction } from "i18next";
import type { SecurityEvent } from "../../lib/api-types";
import { i18n } from "../../lib/i18n";
import { roleName } from "../../lib/roles";

type Details = SecurityEvent["details"];
type EventsT = TFunction<"security-log", "events">;

/** A field of the details (details are the API's, of any shape). */
function field(details: unknown, key: string): unknown {
  if (!details || typeof details !== "object") return undefined;
  return new Map(Object.entries(details)).get(key);
}

/** A string field of the details, trimmed, or "". */
function text(details: unknown, key: string): string {
  const value = field(details, key);
  return typeof value === "string" ? value.trim() : "";
}

/** A number field of the details, or null. */
function number(details: unknown, key: string): number | null {
  const value = field(details, key);
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** `value` if it is one of `known`, else null: what the API says that this app has words for. */
function oneOf<const K extends string>(known: readonly K[], value: string): K | null {
  return (known as readonly string[]).includes(value) ? (value as K) : null;
}

// How a sign-in began (details.method of signed_in) and its second step (details.second_factor).
const SIGN_IN_METHODS = ["password", "passkey", "email_code"] as const;
const SECOND_FACTORS = ["totp", "recovery_code", "webauthn"] as const;
// What a failed sign-in tried (details.method of sign_in_failed); how someone confirmed it was
// them (details.method of reauthenticated and reauthentication_failed).
const ATTEMPT_METHODS = ["password", "email_code", "totp", "recovery_code", "webauthn"] as const;
const REAUTH_METHODS = ["password", "totp", "webauthn"] as const;
// details.factor of factor_added and factor_removed.
const FACTORS = ["totp", "passkey", "security_key"] as const;

function signedIn(details: Details, t: EventsT): string {
  const method = oneOf(SIGN_IN_METHODS, text(details, "method"));
  if (!method) return t("signedIn");
  const factor = oneOf(SECOND_FACTORS, text(details, "second_factor"));
  const with_ = t(`signInMethod.${method}`);
  return factor ? t("signedInWithFactor", { method: with_, factor: t(`secondFactor.${factor}`) }) : t("signedInWith", { method: with_ });
}

/** One failed try, or several counted in one row; with what, when the API says. */
function failedSignIn(details: Details, count: number, t: EventsT): string {
  const method = oneOf(ATTEMPT_METHODS, text(details, "method"));
  const times = { count: Math.max(count, 1) };
  return method ? t("signInFailedWith", { ...times, method: t(`attemptMethod.${method}`) }) : t("signInFailed", times);
}

function reauthenticated(details: Details, t: EventsT): string {
  const method = oneOf(REAUTH_METHODS, text(details, "method"));
  return method ? t("reauthenticatedWith", { method: t(`attemptMethod.${method}`) }) : t("reauthenticated");
}

function failedConfirmation(details: Details, count: number, t: EventsT): string {
  const method = oneOf(REAUTH_METHODS, text(details, "method"));
  const times = { count: Math.max(count, 1) };
  return method
    ? t("reauthenticationFailedWith", { ...times, method: t(`attemptMethod.${method}`) })
    : t("reauthenticationFailed", times);
}

/** "Added a passkey “Laptop”", "Removed an authenticator app". */
function factor(change: "added" | "removed", details: Details, t: EventsT): string {
  const what = t(`factor.${oneOf(FACTORS, text(details, "factor")) ?? "unknown"}`);
  const name = text(details, "name");
  if (change === "added") return name ? t("factorAddedNamed", { factor: what, name }) : t("factorAdded", { factor: what });
  return name ? t("factorRemovedNamed", { factor: what, name }) : t("factorRemoved", { factor: what });
}

function emailChangeRequested(details: Details, t: EventsT): string {
  const to = text(details, "new_email");
  return to ? t("emailChangeRequestedTo", { to }) : t("emailChangeRequested");
}

function emailChanged(details: Details, t: EventsT): string {
  const from = text(details, "old_email");
  const to = text(details, "new_email");
  if (from && to) return t("emailChangedFromTo", { from, to });
  if (to) return t("emailChangedTo", { to });
  return t("emailChanged");
}

function rolesChanged(details: Details, t: EventsT): string {
  const value = field(details, "roles");
  const roles = Array.isArray(value) ? value.filter((role) => typeof role === "string") : [];
  return roles.length ? t("rolesChangedTo", { roles: roles.map(roleName).join(", ") }) : t("rolesChanged");
}

function recoveryCodeUsed(details: Details, t: EventsT): string {
  const remaining = number(details, "remaining");
  if (remaining === null) return t("recoveryCodeUsed");
  if (remaining === 0) return t("recoveryCodeUsedNoneLeft");
  return t("recoveryCodeUsedLeft", { remaining });
}

type Sentence = (details: Details, count: number, t: EventsT) => string;

const SENTENCES = new Map<string, Sentence>([
  ["signed_in", (details, _count, t) => signedIn(details, t)],
  ["sign_in_failed", failedSignIn],
  ["signed_out", (_details, _count, t) => t("signedOut")],
  ["session_revoked", (_details, _count, t) => t("sessionRevoked")],
  ["logged_out_everywhere", (_details, _count, t) => t("loggedOutEverywhere")],
  ["reauthenticated", (details, _count, t) => reauthenticated(details, t)],
  ["reauthentication_failed", failedConfirmation],
  ["password_changed", (_details, _count, t) => t("passwordChanged")],
  ["password_reset_requested", (_details, _count, t) => t("passwordResetRequested")],
  ["password_reset_completed", (_details, _count, t) => t("passwordResetCompleted")],
  ["email_change_requested", (details, _count, t) => emailChangeRequested(details, t)],
  ["email_changed", (details, _count, t) => emailChanged(details, t)],
  ["factor_added", (details, _count, t) => factor("added", details, t)],
  ["factor_removed", (details, _count, t) => factor("removed", details, t)],
  ["recovery_code_used", (details, _count, t) => recoveryCodeUsed(details, t)],
  ["recovery_codes_regenerated", (_details, _count, t) => t("recoveryCodesRegenerated")],
  ["account_deactivated", (_details, _count, t) => t("accountDeactivated")],
  ["account_reactivated", (_details, _count, t) => t("accountReactivated")],
  ["roles_changed", (details, _count, t) => rolesChanged(details, t)],
  ["mfa_reset", (_details, _count, t) => t("mfaReset")],
  ["new_device_confirmed", (_details, _count, t) => t("newDeviceConfirmed")],
  ["sign_in_disowned", (_details, _count, t) => t("signInDisowned")],
]);

/** A kind this app does not know yet, readable: "passkey_synced" → "Passkey synced". */
function unknownKind(kind: string, t: EventsT): string {
  const words = kind.replace(/_/g, " ").trim();
  return words ? t("unknownKind", { kind: words.charAt(0).toUpperCase() + words.slice(1) }) : t("somethingHappened");
}

/**
 * "Signed in with a passkey", "Signed in with a password and an authenticator app",
 * "3 failed sign-in attempts with a password", "Added a passkey “Laptop”"… in the language of
 * `t` (by default the page's).
 */
export function eventSentence(
  { kind, count, details }: Pick<SecurityEvent, "kind" | "count" | "details">,
  t: EventsT = i18n.getFixedT(null, "security-log", "events"),
): string {
  const sentence = SENTENCES.get(kind);
  const times = typeof count === "number" && Number.isFinite(count) ? Math.trunc(count) : 1;
  return sentence ? sentence(details, times, t) : unknownKind(String(kind ?? ""), t);
}
