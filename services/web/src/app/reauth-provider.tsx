// Sudo mode for the whole app: when any call answers 403 reauthentication_required, the api
// client (lib/api-client.ts) asks this provider, which shows "Confirm it's you" and tells the
// client whether to send the request again. No form handles it itself. The dialog is loaded the
// first time it is needed (only a sensitive change asks), not with the first page.
import { lazy, Suspense, useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { getMfaStatus } from "../features/mfa/api/get-mfa-status";
import type { ReauthMethods } from "../features/reauth/components/reauth-dialog";
import { useLastFocused } from "../hooks/use-last-focused";
import { onReauthenticationRequired, onSessionEnded } from "../lib/api-client";

const ReauthDialog = lazy(async () => ({ default: (await import("../features/reauth/components/reauth-dialog")).ReauthDialog }));

interface OpenDialog {
  methods: ReauthMethods;
  returnFocusTo: HTMLElement | null;
}

/** The account's ways to prove itself; the password alone if they cannot be read. */
async function reauthMethods(): Promise<ReauthMethods> {
  try {
    const status = await getMfaStatus();
    return { totp: status.totp_enabled, passkey: status.webauthn_credentials > 0 };
  } catch {
    return { totp: false, passkey: false };
  }
}

export function ReauthProvider({ children }: { children?: ReactNode }) {
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const answer = useRef<((confirmed: boolean) => void) | null>(null);
  const lastFocused = useLastFocused();

  const close = useCallback((confirmed: boolean) => {
    const resolve = answer.current;
    answer.current = null;
    setDialog(null);
    resolve?.(confirmed);
  }, []);

  useEffect(
    () =>
      onReauthenticationRequired(async () => {
        // Where the user was (e.g. the submit button): focus goes back there afterwards.
        const returnFocusTo = lastFocused.current;
        const methods = await reauthMethods();
        return new Promise<boolean>((resolve) => {
          answer.current = resolve;
          setDialog({ methods, returnFocusTo });
        });
      }),
    [lastFocused],
  );

  // Signed out meanwhile (401 elsewhere): the waiting request fails as it is.
  useEffect(() => onSessionEnded(() => close(false)), [close]);

  return (
    <>
      {children}
      {dialog && (
        <Suspense fallback={null}>
          <ReauthDialog methods={dialog.methods} returnFocusTo={dialog.returnFocusTo}
            onConfirmed={() => close(true)} onCancel={() => close(false)} />
        </Suspense>
      )}
    </>
  );
}
