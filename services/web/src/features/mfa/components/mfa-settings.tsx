import { useCallback } from "react";
import { useLoad } from "../../../hooks/use-load";
import { getMfaStatus } from "../api/get-mfa-status";
import { getWebauthnCredentials } from "../api/get-webauthn-credentials";
import { PasskeysSettings } from "./passkeys-settings";
import { TwoFactorSettings } from "./two-factor-settings";

/**
 * The security page's second factors: the two-factor status (authenticator app, recovery codes)
 * and the passkeys and security keys. Each part reloads what a change there affects.
 */
export function MfaSettings() {
  // Quiet: after a change the sections stay up until the new answer is in.
  const status = useLoad(getMfaStatus, { quiet: true });
  const credentials = useLoad(getWebauthnCredentials, { quiet: true });
  const reloadStatus = status.reload;
  const reloadCredentials = credentials.reload;
  const refreshStatus = useCallback(() => void reloadStatus(), [reloadStatus]);
  const refreshCredentials = useCallback(() => void reloadCredentials(), [reloadCredentials]);

  return (
    <>
      <TwoFactorSettings status={status} reload={refreshStatus} />
      <PasskeysSettings credentials={credentials} reload={refreshCredentials} setCredentials={credentials.setData}
        onFactorsChanged={refreshStatus} />
    </>
  );
}
