import type { WebauthnRegistered } from "../../../lib/api-types";
import { createCredential } from "../../../lib/webauthn";
import { beginWebauthnRegistration } from "./begin-webauthn-registration";
import { registerWebauthnCredential } from "./register-webauthn-credential";

export interface NewWebauthnCredential {
  name: string;
  passwordless: boolean;
}

/**
 * The whole registration: the API's options, the browser's ceremony (lib/webauthn: a cancel is
 * the calm webauthn_cancelled), then the API stores the credential under `name`.
 */
export async function addWebauthnCredential({ name, passwordless }: NewWebauthnCredential): Promise<WebauthnRegistered> {
  const options = await beginWebauthnRegistration(passwordless);
  const credential = await createCredential(options);
  return registerWebauthnCredential(name, credential);
}
