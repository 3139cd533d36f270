import { useNavigate } from "react-router-dom";
import { Page } from "../../components/page.jsx";
import { useUser } from "../../features/auth/auth-context.jsx";
import { AccountDetails } from "../../features/auth/components/account-details.jsx";
import { LogoutButton } from "../../features/auth/components/logout-button.jsx";

export function DashboardRoute() {
  const user = useUser();
  const navigate = useNavigate();
  return (
    <Page title="Dashboard" wide>
      <h1>Dashboard</h1>
      <p>You are logged in. Your account:</p>
      <AccountDetails user={user} />
      <LogoutButton onLoggedOut={() => navigate("/login", { replace: true })} />
    </Page>
  );
}
