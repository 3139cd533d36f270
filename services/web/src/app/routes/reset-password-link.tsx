import { useParams } from "react-router-dom";
import { Page } from "../../components/page";
import { useAuth } from "../../features/auth/auth-context";
import { ResetByLink } from "../../features/password-reset/components/reset-by-link";
import { useTranslation } from "../../lib/use-translation";

/** The emailed link. The title is generic on purpose: the token goes nowhere but the API. */
export function ResetPasswordLinkRoute() {
  const { t } = useTranslation("password-reset", { keyPrefix: "byLink" });
  // The route is /reset-password/:uid/:token, so both are always there.
  const { uid = "", token = "" } = useParams();
  const { user, endSession } = useAuth();
  // A reset revokes every session, this browser's included.
  const onReset = () => user && endSession();
  return (
    <Page title={t("title")}>
      <ResetByLink uid={uid} token={token} onReset={onReset} />
    </Page>
  );
}
