import { Link, useLocation } from "react-router-dom";
import { Page } from "../../components/page";
import { ResendConfirmation } from "../../features/auth/components/resend-confirmation";
import { stateString } from "../../lib/router-state";

export function CheckEmailRoute() {
  const email = stateString(useLocation().state, "email");
  return (
    <Page title="Check your email">
      <h1>Check your email</h1>
      <p>
        We sent a confirmation link to {email ? <strong>{email}</strong> : "your email address"}. Open it to
        confirm your address, then log in.
      </p>
      <p className="hint">Nothing there? Check your spam folder; the link expires after a while.</p>
      <ResendConfirmation email={email ?? ""} />
      <p className="aside">
        <Link to="/login">Go to log in</Link>
      </p>
    </Page>
  );
}
