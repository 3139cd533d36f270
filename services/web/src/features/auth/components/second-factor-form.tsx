import { useCallback, useState } from "react";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { useForm } from "../../../hooks/use-form";
import { useSubmit } from "../../../hooks/use-submit";
import type { ApiError } from "../../../lib/api-client";
import type { User } from "../../../lib/api-types";
import { errorMessage } from "../../../lib/error-message";
import { fieldErrorsWith } from "../../../lib/field-errors";
import { useTranslation } from "../../../lib/use-translation";
import { getAssertion } from "../../../lib/webauthn";
import { beginSecondFactorWebauthn } from "../api/begin-second-factor-webauthn";
import { verifySecondFactor } from "../api/verify-second-factor";
import { useAuth } from "../auth-context";
import type { MfaChallenge } from "../login-answer";

const FIELDS = ["code", "recovery_code"];

type Mode = "totp" | "recovery";

interface SecondFactorFormProps {
  mfa: MfaChallenge;
  /** Signed in: the auth context holds the user. */
  onSuccess: (user: User) => void;
  /** The challenge is dead (invalid_challenge: expired, used, too many wrong codes): log in again. */
  onRestart: () => void;
}

/**
 * The login's second step: a code from the authenticator app, or one of the recovery codes, or
 * a security key / passkey (when the account has one). A wrong code keeps the challenge; a dead
 * one sends the user back to log in.
 */
export function SecondFactorForm({ mfa, onSuccess, onRestart }: SecondFactorFormProps) {
  const { t } = useTranslation("auth", { keyPrefix: "secondFactor" });
  const { acceptLogin } = useAuth();
  const hasTotp = mfa.methods.includes("totp");
  const hasRecovery = mfa.methods.includes("recovery_code");
  const hasWebauthn = mfa.methods.includes("webauthn");
  // Without an app, a security key is the usual way: no code field until they ask for one.
  const [mode, setMode] = useState<Mode | null>(hasTotp ? "totp" : hasWebauthn ? null : "recovery");

  const verify = useCallback(
    async ({ code, recoveryCode }: { code: string; recoveryCode: string }) =>
      acceptLogin(await verifySecondFactor(mfa.challenge, mode === "recovery" ? { recoveryCode } : { code })),
    [acceptLogin, mfa.challenge, mode],
  );
  const { values, change, handleSubmit, pending, error } = useForm({ code: "", recoveryCode: "" }, verify);

  const withKey = useCallback(async () => {
    const options = await beginSecondFactorWebauthn(mfa.challenge);
    const credential = await getAssertion(options);
    return acceptLogin(await verifySecondFactor(mfa.challenge, { credential }));
  }, [acceptLogin, mfa.challenge]);
  const key = useSubmit(withKey);

  const done = (outcome: { user: User | null }) => {
    if (outcome.user) onSuccess(outcome.user);
  };
  const failed = (problem: ApiError) => {
    if (problem.code === "invalid_challenge") onRestart();
  };
  const onSubmit = handleSubmit({ onSuccess: done, onError: failed });

  async function signInWithKey() {
    const result = await key.submit();
    if (result.ok) done(result.data);
    else if (result.error) failed(result.error);
  }

  const switchTo = (next: Mode) => setMode(next);

  const codeField = mode === "recovery" ? "recovery_code" : "code";
  const fieldErrors = fieldErrorsWith(error, "invalid_code", codeField);
  const message = error?.code === "invalid_code" ? null : errorMessage(error, FIELDS);

  return (
    <>
      <p>
        {mode === "totp" && t("totpIntro")}
        {mode === "recovery" && t("recoveryIntro")}
        {mode === null && t("keyIntro")}
      </p>
      {mode && (
        <Form onSubmit={onSubmit} error={error} message={message} aria-label={t("label")}>
          {mode === "totp" ? (
            // The button that led here is gone: the code field takes focus (and again after a switch).
            <FormField key="code" label={t("code")} name="code" inputMode="numeric" autoComplete="one-time-code"
              required spellCheck={false} autoFocus hint={t("codeHint")}
              value={values.code} onChange={change} errors={fieldErrors.code} />
          ) : (
            <FormField key="recovery" label={t("recoveryCode")} name="recoveryCode" autoComplete="off" autoCapitalize="characters"
              required spellCheck={false} autoFocus hint={t("recoveryCodeHint")}
              value={values.recoveryCode} onChange={change} errors={fieldErrors.recovery_code} />
          )}
          <button type="submit" disabled={pending || key.pending} aria-busy={pending || undefined}>
            {t("verify")}
          </button>
        </Form>
      )}
      {key.error && (
        <p className="form-error" role="alert">
          {errorMessage(key.error)}
        </p>
      )}
      <div className="alternatives">
        {hasWebauthn && (
          <button type="button" className="secondary" onClick={() => void signInWithKey()} disabled={pending || key.pending}
            aria-busy={key.pending || undefined}>
            {t("useKey")}
          </button>
        )}
        {mode !== "recovery" && hasRecovery && (
          <button type="button" className="link" onClick={() => switchTo("recovery")}>
            {t("useRecoveryCode")}
          </button>
        )}
        {mode === "recovery" && hasTotp && (
          <button type="button" className="link" onClick={() => switchTo("totp")}>
            {t("useApp")}
          </button>
        )}
      </div>
    </>
  );
}
