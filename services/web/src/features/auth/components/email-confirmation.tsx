import { useCallback } from "react";
import { Link } from "react-router-dom";
import { Loading } from "../../../components/loading";
import { useLoad } from "../../../hooks/use-load";
import { errorMessage } from "../../../lib/error-message";
import { confirmEmail } from "../api/confirm-email";

/** Spends the key from the email link (once) and says how it went. */
export function EmailConfirmation({ confirmationKey }: { confirmationKey: string }) {
  // A key works once: useLoad sends it once per key, also under StrictMode, whose second effect
  // run would otherwise fail as "used" and the page would say the link is invalid.
  const state = useLoad(useCallback(() => confirmEmail(confirmationKey), [confirmationKey]));

  if (state.status === "loading") {
    return (
      <>
        <h1>Confirming your email…</h1>
        <Loading label="Confirming…" />
      </>
    );
  }
  if (state.status === "ready") {
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
  if (state.error.status === 400) {
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
      <button type="button" onClick={() => void state.reload()}>
        Try again
      </button>
    </>
  );
}
