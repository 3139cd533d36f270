import { useCallback } from "react";
import { useSubmit } from "../../../hooks/use-submit";
import type { User } from "../../../lib/api-types";
import { errorMessage } from "../../../lib/error-message";
import { useTranslation } from "../../../lib/use-translation";
import { useAuth } from "../auth-context";

// The passkey calls (and lib/webauthn) load when the button is pressed: most sign-ins never use
// them, and the login page is part of the first load (scripts/first-load-size.mjs).
async function logInWithPasskey() {
  return (await import("../api/log-in-with-passkey")).logInWithPasskey();
}

/** "Sign in with a passkey": no email, no password; the browser asks which passkey to use. */
export function PasskeyLoginButton({ onSuccess }: { onSuccess: (user: User) => void }) {
  const { t } = useTranslation("common", { keyPrefix: "passkeyLogin" });
  const { acceptLogin } = useAuth();
  const action = useCallback(async () => acceptLogin(await logInWithPasskey()), [acceptLogin]);
  const { submit, pending, error } = useSubmit(action);

  async function signIn() {
    const result = await submit();
    if (result.ok && result.data.user) onSuccess(result.data.user);
  }

  return (
    <div className="alternative">
      {error && (
        <p className="form-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
      <button type="button" className="secondary" onClick={() => void signIn()} disabled={pending} aria-busy={pending || undefined}>
        {t("button")}
      </button>
    </div>
  );
}
