import { useState } from "react";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { useForm } from "../../../hooks/use-form";
import { useSubmit } from "../../../hooks/use-submit";
import type { TotpSetup as TotpSecret } from "../../../lib/api-types";
import { errorMessage } from "../../../lib/error-message";
import { fieldErrorsWith } from "../../../lib/field-errors";
import { useTranslation } from "../../../lib/use-translation";
import { confirmTotp } from "../api/confirm-totp";
import { setUpTotp } from "../api/set-up-totp";
import { QrCode } from "./qr-code";
import { RecoveryCodesPanel } from "./recovery-codes-panel";

function ConfirmStep({ secret, onConfirmed, onCancel }: {
  secret: TotpSecret;
  onConfirmed: (codes: string[]) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation("mfa", { keyPrefix: "totpSetup" });
  const { values, change, handleSubmit, pending, error } = useForm({ code: "" }, confirmTotp);
  const onSubmit = handleSubmit({ onSuccess: (data) => onConfirmed(data.recovery_codes) });
  const fieldErrors = fieldErrorsWith(error, "invalid_code", "code");
  const message = error?.code === "invalid_code" ? null : errorMessage(error, ["code"]);
  return (
    <div className="totp-setup">
      <p>{t("scan")}</p>
      <QrCode value={secret.otpauth_uri} label={t("qrLabel")} />
      <FormField label={t("secret")} name="secret" readOnly value={secret.secret} spellCheck={false} className="secret"
        hint={t("secretHint")} />
      <p>{t("enterCode")}</p>
      <Form onSubmit={onSubmit} error={error} message={message} aria-label={t("label")}>
        <FormField label={t("code")} name="code" inputMode="numeric" autoComplete="one-time-code" required
          spellCheck={false} value={values.code} onChange={change} errors={fieldErrors.code} />
        <div className="actions">
          <button type="submit" disabled={pending} aria-busy={pending || undefined}>
            {t("turnOn")}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            {t("cancel")}
          </button>
        </div>
      </Form>
    </div>
  );
}

/**
 * "Set up authenticator app": a new secret (not active yet), its QR code and key, then a code from
 * the app turns it on and the recovery codes are shown once. onEnabled() runs after "I have
 * saved them", so the codes stay up until then.
 */
export function TotpSetup({ onEnabled }: { onEnabled: () => void }) {
  const { t } = useTranslation("mfa", { keyPrefix: "totpSetup" });
  const [secret, setSecret] = useState<TotpSecret | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const start = useSubmit(setUpTotp);

  async function begin() {
    const result = await start.submit();
    if (result.ok) setSecret(result.data);
  }

  if (codes) return <RecoveryCodesPanel title={t("on")} codes={codes} onDone={onEnabled} />;
  if (secret) return <ConfirmStep secret={secret} onConfirmed={setCodes} onCancel={() => setSecret(null)} />;
  return (
    <>
      {start.error && (
        <p className="form-error" role="alert">
          {errorMessage(start.error)}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={() => void begin()} disabled={start.pending} aria-busy={start.pending || undefined}>
          {t("start")}
        </button>
      </div>
    </>
  );
}
