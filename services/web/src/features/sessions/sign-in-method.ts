// How a session signed in, in words, from the API's auth_method and second_factor.
import type { TFunction } from "i18next";
import type { Session } from "../../lib/api-types";
import { i18n } from "../../lib/i18n";

const METHODS = ["password", "passkey", "email_code"] as const;
const FACTORS = ["totp", "recovery_code", "webauthn"] as const;

function oneOf<const K extends string>(known: readonly K[], value: string | null | undefined): K | null {
  return value && (known as readonly string[]).includes(value) ? (value as K) : null;
}

/**
 * "Password + authenticator app", "Passkey", "Emailed code"… in the language of `t` (by default
 * the page's); "—" when the API does not say.
 */
export function signInMethod(
  { auth_method, second_factor }: Pick<Session, "auth_method" | "second_factor">,
  t: TFunction<"sessions", "signInMethod"> = i18n.getFixedT(null, "sessions", "signInMethod"),
): string {
  const method = oneOf(METHODS, auth_method);
  if (!method) return "—";
  const factor = oneOf(FACTORS, second_factor);
  return factor ? t("withFactor", { method: t(`method.${method}`), factor: t(`factor.${factor}`) }) : t(`method.${method}`);
}
