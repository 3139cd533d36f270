import { Link } from "react-router-dom";
import { Page } from "../../components/page";
import { useSignedInUser } from "../../features/auth/auth-context";
import { AccountDetails } from "../../features/auth/components/account-details";

/** The "Log out" button is in the navigation of every signed-in page (authenticated-layout). */
export function DashboardRoute() {
  const user = useSignedInUser();
  return (
    <Page title="Dashboard" wide>
      <h1>Dashboard</h1>
      <p>You are logged in. Your account:</p>
      <AccountDetails user={user} />
      <p>
        <Link to="/profile">Edit your profile</Link> or manage your password, email and sessions under{" "}
        <Link to="/security">security settings</Link>.
      </p>
    </Page>
  );
}
