import { useCallback, useEffect, useRef, useState } from "react";
import { Link } from "react-router-dom";
import { Loading } from "../../../components/loading";
import { asApiError, type ApiError } from "../../../lib/api-client";
import { errorMessage } from "../../../lib/error-message";
import { confirmEmail } from "../api/confirm-email";

/** Spends the key from the email link (once) and says how it went. */
type ConfirmationState =
  | { status: "pending" | "confirmed"; error: null }
  | { status: "invalid" | "failed"; error: ApiError };

export function EmailConfirmation({ confirmationKey }: { confirmationKey: string }) {
  const [state, setState] = useState<ConfirmationState>({ status: "pending", error: null });
  // A key works once: StrictMode's second effect run must not send it again, or the second
  // request would fail as "used" and the page would say the link is invalid.
  const sentFor = useRef<string | null>(null);

  const confirm = useCallback(async () => {
    setState({ status: "pending", error: null });
    try {
      await confirmEmail(confirmationKey);
      setState({ status: "confirmed", error: null });
    } catch (caught) {
      const error = asApiError(caught);
      setState({ status: error.status === 400 ? "invalid" : "failed", error });
    }
  }, [confirmationKey]);

  useEffect(() => {
    if (sentFor.current === confirmationKey) return;
    sentFor.current = confirmationKey;
    void confirm();
  }, [confirmationKey, confirm]);

  if (state.status === "pending") {
    return (
      <>
        <h1>Confirming your email…</h1>
        <Loading label="Confirming…" />
      </>
    );
  }
  if (state.status === "confirmed") {
    return (
      <>
        <h1>Email confirmed</h1>
        <p>Your email address is confirmed. You can log in now.</p>
        <p>
          <Link to="/login">Log in</Link>
        </p>
      </>
    );
  }
  if (state.status === "invalid") {
    return (
      <>
        <h1>This link is invalid or has expired</h1>
        <p role="alert">{state.error.detail}</p>
        <p>
          If you already confirmed your address, <Link to="/login">log in</Link>. Otherwise{" "}
          <Link to="/register">register again</Link> to get a new link.
        </p>
      </>
    );
  }
  // A network problem, throttling or a server error: the link may still be good.
  return (
    <>
      <h1>We could not confirm your email</h1>
      <p role="alert">{errorMessage(state.error)}</p>
      <button type="button" onClick={() => void confirm()}>
        Try again
      </button>
    </>
  );
}
