import { useParams } from "react-router-dom";
import { Page } from "../../components/page";
import { ConfirmSignIn } from "../../features/device-alerts/components/confirm-sign-in";
import { useTranslation } from "../../lib/use-translation";

/** The new-device email's "Yes, it was me" link. The title is generic: the key goes nowhere but the API. */
export function SignInAlertYesRoute() {
  // The route is /sign-in-alert/:key/yes, so the key is always there.
  const { t } = useTranslation("device-alerts");
  const { key = "" } = useParams();
  return (
    <Page title={t("title")}>
      <ConfirmSignIn alertKey={key} />
    </Page>
  );
}
