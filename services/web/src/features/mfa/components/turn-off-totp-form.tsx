import { useCallback, useState } from "react";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { useForm } from "../../../hooks/use-form";
import { errorMessage } from "../../../lib/error-message";
import { fieldErrorsWith } from "../../../lib/field-errors";
import { useTranslation } from "../../../lib/use-translation";
import { turnOffTotp } from "../api/turn-off-totp";

/**
 * "Turn off authenticator app": asks a current code, or a recovery code when the app is lost,
 * so a session left open somewhere cannot quietly drop the second factor.
 */
export function TurnOffTotpForm({ onTurnedOff, onCancel }: { onTurnedOff: () => void; onCancel: () => void }) {
  const { t } = useTranslation("mfa", { keyPrefix: "turnOffTotp" });
  const [recovery, setRecovery] = useState(false);
  const action = useCallback(
    ({ code, recoveryCode }: { code: string; recoveryCode: string }) => turnOffTotp(recovery ? { recoveryCode } : { code }),
    [recovery],
  );
  const { values, change, handleSubmit, pending, error } = useForm({ code: "", recoveryCode: "" }, action);
  const onSubmit = handleSubmit({ onSuccess: onTurnedOff });
  const fieldErrors = fieldErrorsWith(error, "invalid_code", recovery ? "recovery_code" : "code");
  const message = error?.code === "invalid_code" ? null : errorMessage(error, ["code", "recovery_code"]);

  return (
    <Form onSubmit={onSubmit} error={error} message={message} aria-label={t("label")}>
      <p className="hint">{t("hint")}</p>
      {recovery ? (
        <FormField key="recovery" label={t("recoveryCode")} name="recoveryCode" autoComplete="off" autoCapitalize="characters"
          spellCheck={false} autoFocus value={values.recoveryCode} onChange={change} errors={fieldErrors.recovery_code} />
      ) : (
        <FormField key="code" label={t("code")} name="code" inputMode="numeric" autoComplete="one-time-code"
          spellCheck={false} autoFocus value={values.code} onChange={change} errors={fieldErrors.code}
          hint={t("codeHint")} />
      )}
      <p>
        <button type="button" className="link" onClick={() => setRecovery(!recovery)}>
          {t(recovery ? "useCode" : "useRecoveryCode")}
        </button>
      </p>
      <div className="actions">
        <button type="submit" className="danger" disabled={pending} aria-busy={pending || undefined}>
          {t("submit")}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t("cancel")}
        </button>
      </div>
    </Form>
  );
}
