import { useParams } from "react-router-dom";
import { Page } from "../../components/page";
import { useAuth } from "../../features/auth/auth-context";
import { DenySignIn } from "../../features/device-alerts/components/deny-sign-in";
import { useTranslation } from "../../lib/use-translation";

/** The new-device email's "This wasn't me" link. The title is generic: the key goes nowhere but the API. */
export function SignInAlertNoRoute() {
  // The route is /sign-in-alert/:key/no, so the key is always there.
  const { t } = useTranslation("device-alerts");
  const { key = "" } = useParams();
  const { user, refreshUser } = useAuth();
  // Every session of the account was ended; if this browser had one, `me` says so now.
  const onSecured = () => user && void refreshUser();
  return (
    <Page title={t("title")}>
      <DenySignIn alertKey={key} onSecured={onSecured} />
    </Page>
  );
}
