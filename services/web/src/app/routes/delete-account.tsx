import { Link, useNavigate } from "react-router-dom";
import { Page } from "../../components/page";
import { DeleteAccountForm } from "../../features/account/components/delete-account-form";
import { useAuth } from "../../features/auth/auth-context";

export const ACCOUNT_DELETED = "Your account has been deleted.";

export function DeleteAccountRoute() {
  const { endSession } = useAuth();
  const navigate = useNavigate();
  const onDeleted = () =>
    endSession(() => void navigate("/login", { replace: true, state: { notice: ACCOUNT_DELETED } }));
  return (
    <Page title="Delete account">
      <h1>Delete account</h1>
      <p className="warning">
        This deletes your account and logs you out everywhere. It cannot be undone: your data is removed and
        you will need to register again to come back.
      </p>
      <DeleteAccountForm onDeleted={onDeleted} />
      <p className="aside">
        <Link to="/security">Keep my account</Link>
      </p>
    </Page>
  );
}
