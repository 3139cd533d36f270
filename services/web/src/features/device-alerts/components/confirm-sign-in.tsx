import { Link } from "react-router-dom";
import { confirmDeviceAlert } from "../api/confirm-device-alert";
import { SignInAlertAnswer } from "./sign-in-alert-answer";

export const DEVICE_KNOWN = "Thanks — this device is now known.";

/** /sign-in-alert/:key/yes: "Yes, it was me", sent only from the button. */
export function ConfirmSignIn({ alertKey }: { alertKey: string }) {
  return (
    <SignInAlertAnswer
      alertKey={alertKey}
      send={confirmDeviceAlert}
      title="Was this you?"
      explanation={
        <p>
          We emailed you because your account was signed in to from a device we had not seen before. If that was you,
          confirm it: the device becomes known and signing in from it will not send an alert again.
        </p>
      }
      button="Yes, it was me"
      aside={
        <p className="aside">
          Not you? <Link to={`/sign-in-alert/${encodeURIComponent(alertKey)}/no`}>This wasn&apos;t me</Link>
        </p>
      }
      doneTitle="Sign-in confirmed"
      doneMessage={DEVICE_KNOWN}
    />
  );
}
