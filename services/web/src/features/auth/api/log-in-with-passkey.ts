import type { LoginResponse } from "../../../lib/api-types";
import { getAssertion } from "../../../lib/webauthn";
import { beginPasskeyLogin } from "./begin-passkey-login";
import { finishPasskeyLogin } from "./finish-passkey-login";

/**
 * The whole passkey sign-in: the API's options, the browser's prompt (the user picks a passkey;
 * closing it is the calm webauthn_cancelled), then the API checks the assertion.
 */
export async function logInWithPasskey(): Promise<LoginResponse> {
  const options = await beginPasskeyLogin();
  const credential = await getAssertion(options);
  return finishPasskeyLogin(credential);
}
