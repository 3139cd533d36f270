import { Link } from "react-router-dom";
import { denyDeviceAlert } from "../api/deny-device-alert";
import { SignInAlertAnswer } from "./sign-in-alert-answer";

export const ACCOUNT_SECURED = "Your account is secured. Check your inbox for a password reset email.";

/**
 * /sign-in-alert/:key/no: "This wasn't me", sent only from the button, after saying what it
 * does. onSecured() runs once the API has ended the account's sessions.
 */
export function DenySignIn({ alertKey, onSecured }: { alertKey: string; onSecured?: () => void }) {
  return (
    <SignInAlertAnswer
      alertKey={alertKey}
      send={denyDeviceAlert}
      title="Secure your account"
      explanation={
        <>
          <p>
            If you did not sign in from that new device, someone else may know your password. Securing your account
            does this straight away:
          </p>
          <ul>
            <li>Every session of your account is signed out, on every device.</li>
            <li>Signing in with your password is blocked until you reset it.</li>
            <li>We email you a link to reset your password now.</li>
          </ul>
        </>
      }
      button="This wasn't me, secure my account"
      danger
      aside={
        <p className="aside">
          It was you after all? <Link to={`/sign-in-alert/${encodeURIComponent(alertKey)}/yes`}>Yes, it was me</Link>
        </p>
      }
      doneTitle="Your account is secured"
      doneMessage={ACCOUNT_SECURED}
      doneMore={
        <>
          <p>Once you have set a new password, you can log in again.</p>
          <p>
            <Link to="/login">Log in</Link>
          </p>
        </>
      }
      onDone={onSecured}
    />
  );
}
