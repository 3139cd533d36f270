import { Link } from "react-router-dom";
import { Page } from "../../components/page";
import { RichText } from "../../components/rich-text";
import { useSignedInUser } from "../../features/auth/auth-context";
import { AccountDetails } from "../../features/auth/components/account-details";
import { useTranslation } from "../../lib/use-translation";

/** The "Log out" button is in the navigation of every signed-in page (authenticated-layout). */
export function DashboardRoute() {
  const { t } = useTranslation("common", { keyPrefix: "dashboard" });
  const user = useSignedInUser();
  return (
    <Page title={t("title")} wide>
      <h1>{t("title")}</h1>
      <p>{t("loggedIn")}</p>
      <AccountDetails user={user} />
      <p>
        <RichText text={t("manage")} elements={{ profile: <Link to="/profile" />, security: <Link to="/security" /> }} />
      </p>
    </Page>
  );
}
