import { useParams } from "react-router-dom";
import { Page } from "../../components/page.jsx";
import { useAuth } from "../../features/auth/auth-context.jsx";
import { ResetByLink } from "../../features/password-reset/components/reset-by-link.jsx";

/** The emailed link. The title is generic on purpose: the token goes nowhere but the API. */
export function ResetPasswordLinkRoute() {
  const { uid, token } = useParams();
  const { user, endSession } = useAuth();
  // A reset revokes every session, this browser's included.
  const onReset = () => user && endSession();
  return (
    <Page title="Reset your password">
      <ResetByLink uid={uid} token={token} onReset={onReset} />
    </Page>
  );
}
