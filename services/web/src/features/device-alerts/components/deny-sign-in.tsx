import { Link } from "react-router-dom";
import { useTranslation } from "../../../lib/use-translation";
import { denyDeviceAlert } from "../api/deny-device-alert";
import { SignInAlertAnswer } from "./sign-in-alert-answer";

/**
 * /sign-in-alert/:key/no: "This wasn't me", sent only from the button, after saying what it
 * does. onSecured() runs once the API has ended the account's sessions.
 */
export function DenySignIn({ alertKey, onSecured }: { alertKey: string; onSecured?: () => void }) {
  const { t } = useTranslation("device-alerts", { keyPrefix: "deny" });
  return (
    <SignInAlertAnswer
      alertKey={alertKey}
      send={denyDeviceAlert}
      title={t("title")}
      explanation={
        <>
          <p>{t("explanation")}</p>
          <ul>
            <li>{t("signedOut")}</li>
            <li>{t("blocked")}</li>
            <li>{t("resetEmail")}</li>
          </ul>
        </>
      }
      button={t("button")}
      danger
      aside={
        <p className="aside">
          {t("wasYou")} <Link to={`/sign-in-alert/${encodeURIComponent(alertKey)}/yes`}>{t("confirm")}</Link>
        </p>
      }
      doneTitle={t("doneTitle")}
      doneMessage={t("done")}
      doneMore={
        <>
          <p>{t("logInAgain")}</p>
          <p>
            <Link to="/login">{t("logIn")}</Link>
          </p>
        </>
      }
      onDone={onSecured}
    />
  );
}
