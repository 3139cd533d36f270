// How a session signed in, in words, from the API's auth_method and second_factor.
import type { Session } from "../../lib/api-types";

const METHODS = new Map<string, string>([
  ["password", "Password"],
  ["passkey", "Passkey"],
  ["email_code", "Emailed code"],
]);

const FACTORS = new Map<string, string>([
  ["totp", "authenticator app"],
  ["recovery_code", "recovery code"],
  ["webauthn", "security key"],
]);

/** "Password + authenticator app", "Passkey", "Emailed code"…; "—" when the API does not say. */
export function signInMethod({ auth_method, second_factor }: Pick<Session, "auth_method" | "second_factor">): string {
  const method = auth_method ? METHODS.get(auth_method) : undefined;
  if (!method) return "—";
  const factor = second_factor ? FACTORS.get(second_factor) : undefined;
  return factor ? `${method} + ${factor}` : method;
}
