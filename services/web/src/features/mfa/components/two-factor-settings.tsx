import { useId, useState } from "react";
import { LoadFailed, Loading } from "../../../components/loading";
import { StatusMessage } from "../../../components/status-message";
import type { MfaStatus } from "../../../lib/api-types";
import { formatDateTime } from "../../../lib/format";
import type { LoadState } from "../../../hooks/use-load";
import { RegenerateRecoveryCodes } from "./regenerate-recovery-codes";
import { TotpSetup } from "./totp-setup";
import { TurnOffTotpForm } from "./turn-off-totp-form";

interface TwoFactorSettingsProps {
  status: LoadState<MfaStatus>;
  reload: () => void;
}

function remainingText(count: number): string {
  if (count === 0) return "You have no unused recovery codes left: make a new set.";
  return count === 1 ? "You have 1 unused recovery code." : `You have ${count} unused recovery codes.`;
}

/** "Two-factor authentication": the authenticator app (set up, turn off) and the recovery codes. */
export function TwoFactorSettings({ status, reload }: TwoFactorSettingsProps) {
  const headingId = useId();
  const [turningOff, setTurningOff] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const data = status.data;

  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>Two-factor authentication</h2>
      <p className="hint">
        A second step after your password: a code from an authenticator app, or a passkey or security key (below).
      </p>
      {status.status === "failed" && <LoadFailed what="your two-factor settings" error={status.error} retry={reload} />}
      {!data && status.status === "loading" && <Loading label="Loading two-factor settings…" />}
      <StatusMessage message={notice} className="notice success" />
      {data && (
        <>
          <h3>Authenticator app</h3>
          {data.totp_enabled ? (
            <>
              <p>
                <strong className="badge">On</strong> since{" "}
                <time dateTime={data.totp_enabled_at ?? undefined}>{formatDateTime(data.totp_enabled_at)}</time>.
              </p>
              {turningOff ? (
                <TurnOffTotpForm onCancel={() => setTurningOff(false)}
                  onTurnedOff={() => {
                    setTurningOff(false);
                    setNotice("The authenticator app is off.");
                    reload();
                  }} />
              ) : (
                <div className="actions">
                  <button type="button" className="secondary" onClick={() => {
                    setNotice(null);
                    setTurningOff(true);
                  }}>
                    Turn off authenticator app
                  </button>
                </div>
              )}
            </>
          ) : (
            <>
              <p>Off.</p>
              <TotpSetup onEnabled={() => {
                setNotice("The authenticator app is on. You will be asked for a code when you log in.");
                reload();
              }} />
            </>
          )}
          {(data.totp_enabled || data.webauthn_credentials > 0) && (
            <>
              <h3>Recovery codes</h3>
              <p>{remainingText(data.recovery_codes_remaining)}</p>
              <RegenerateRecoveryCodes onRegenerated={reload} />
            </>
          )}
        </>
      )}
    </section>
  );
}
