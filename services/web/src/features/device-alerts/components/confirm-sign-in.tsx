import { Link } from "react-router-dom";
import { useTranslation } from "../../../lib/use-translation";
import { confirmDeviceAlert } from "../api/confirm-device-alert";
import { SignInAlertAnswer } from "./sign-in-alert-answer";

/** /sign-in-alert/:key/yes: "Yes, it was me", sent only from the button. */
export function ConfirmSignIn({ alertKey }: { alertKey: string }) {
  const { t } = useTranslation("device-alerts", { keyPrefix: "confirm" });
  return (
    <SignInAlertAnswer
      alertKey={alertKey}
      send={confirmDeviceAlert}
      title={t("title")}
      explanation={<p>{t("explanation")}</p>}
      button={t("button")}
      aside={
        <p className="aside">
          {t("notYou")} <Link to={`/sign-in-alert/${encodeURIComponent(alertKey)}/no`}>{t("deny")}</Link>
        </p>
      }
      doneTitle={t("doneTitle")}
      doneMessage={t("done")}
    />
  );
}
