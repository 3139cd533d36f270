import { Link } from "react-router-dom";
import { Page } from "../../components/page";
import { SecurityActivity } from "../../features/security-log/components/security-activity";

export function SecurityActivityRoute() {
  return (
    <Page title="Security activity" wide>
      <h1>Security activity</h1>
      <p className="hint">
        Sign-ins and changes to your account, newest first. If you see something you do not recognise, change your
        password and revoke sessions on the <Link to="/security">Security</Link> page.
      </p>
      <SecurityActivity />
    </Page>
  );
}
