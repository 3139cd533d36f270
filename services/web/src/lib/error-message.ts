// The sentence to show at the top of a form for an API error from the api-client, in the
// page's language.
import type { ApiError } from "./api-client";
import { i18n } from "./i18n";

export function tooManyAttempts(retryAfter: number | null | undefined): string {
  if (typeof retryAfter === "number" && Number.isFinite(retryAfter) && retryAfter > 0) {
    return i18n.t("errors.tooManyAttemptsIn", { count: retryAfter });
  }
  return i18n.t("errors.tooManyAttempts");
}

/**
 * The codes this app has its own words for (common.json's `errors`): the API's codes
 * (docs/api.md) and the gateway's (nginx/json-errors.conf, which cannot follow the page's
 * language), then the client's own (lib/api-client.ts, status 0) and the ones lib/webauthn.ts
 * gives the browser's refusals. Any other code shows the API's `detail`, which it writes in the
 * language of the request's Accept-Language.
 */
const KNOWN_CODES = [
  "validation_error",
  "invalid_credentials",
  "email_not_confirmed",
  "password_reset_required",
  "invalid_key",
  "invalid_reset",
  "invalid_password",
  "invalid_code",
  "invalid_challenge",
  "invalid_credential",
  "too_many_credentials",
  "reauthentication_required",
  "totp_not_set_up",
  "totp_already_enabled",
  "totp_not_enabled",
  "mfa_not_enabled",
  "csrf_failed",
  "database_busy",
  "server_error",
  "bad_gateway",
  "service_unavailable",
  "gateway_timeout",
  "network_error",
  "timeout",
  "webauthn_cancelled",
  "webauthn_already_registered",
  "webauthn_unsupported",
  "webauthn_failed",
] as const;

type KnownCode = (typeof KNOWN_CODES)[number];

function isKnownCode(code: string): code is KnownCode {
  return (KNOWN_CODES as readonly string[]).includes(code);
}

/** The sentence for one error: ours for the codes above, otherwise the API's detail. */
export function codeMessage(error: Pick<ApiError, "code" | "detail">): string {
  if (isKnownCode(error.code)) return i18n.t(`errors.${error.code}`);
  return error.detail || i18n.t("errors.generic");
}

/**
 * `shownFields` are the fields the form displays next to their inputs; messages for any other
 * field (e.g. non_field_errors) are added to the form-level message so nothing is lost. Field
 * messages are the API's, already in the request's language.
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
