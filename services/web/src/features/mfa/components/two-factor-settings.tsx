import { useId, useState } from "react";
import { LoadFailed, Loading } from "../../../components/loading";
import { RichText } from "../../../components/rich-text";
import { StatusMessage } from "../../../components/status-message";
import type { MfaStatus } from "../../../lib/api-types";
import { formatDateTime } from "../../../lib/format";
import type { LoadState } from "../../../hooks/use-load";
import { useTranslation } from "../../../lib/use-translation";
import { RegenerateRecoveryCodes } from "./regenerate-recovery-codes";
import { TotpSetup } from "./totp-setup";
import { TurnOffTotpForm } from "./turn-off-totp-form";

interface TwoFactorSettingsProps {
  status: LoadState<MfaStatus>;
  reload: () => void;
}

/** "Two-factor authentication": the authenticator app (set up, turn off) and the recovery codes. */
export function TwoFactorSettings({ status, reload }: TwoFactorSettingsProps) {
  const { t } = useTranslation("mfa", { keyPrefix: "twoFactor" });
  const headingId = useId();
  const [turningOff, setTurningOff] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const data = status.data;

  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("title")}</h2>
      <p className="hint">{t("hint")}</p>
      {status.status === "failed" && <LoadFailed message={t("loadFailed")} error={status.error} retry={reload} />}
      {!data && status.status === "loading" && <Loading label={t("loading")} />}
      <StatusMessage message={notice} className="notice success" />
      {data && (
        <>
          <h3>{t("app")}</h3>
          {data.totp_enabled ? (
            <>
              <p>
                <RichText text={t("onSince")} elements={{
                  on: <strong className="badge" />,
                  since: <time dateTime={data.totp_enabled_at ?? undefined}>{formatDateTime(data.totp_enabled_at)}</time>,
                }} />
              </p>
              {turningOff ? (
                <TurnOffTotpForm onCancel={() => setTurningOff(false)}
                  onTurnedOff={() => {
                    setTurningOff(false);
                    setNotice(t("turnedOff"));
                    reload();
                  }} />
              ) : (
                <div className="actions">
                  <button type="button" className="secondary" onClick={() => {
                    setNotice(null);
                    setTurningOff(true);
                  }}>
                    {t("turnOff")}
                  </button>
                </div>
              )}
            </>
          ) : (
            <>
              <p>{t("off")}</p>
              <TotpSetup onEnabled={() => {
                setNotice(t("turnedOn"));
                reload();
              }} />
            </>
          )}
          {(data.totp_enabled || data.webauthn_credentials > 0) && (
            <>
              <h3>{t("recoveryCodes")}</h3>
              <p>
                {data.recovery_codes_remaining === 0
                  ? t("noneLeft")
                  : t("remaining", { count: data.recovery_codes_remaining })}
              </p>
              <RegenerateRecoveryCodes onRegenerated={reload} />
            </>
          )}
        </>
      )}
    </section>
  );
}
