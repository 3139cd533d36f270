import { Link } from "react-router-dom";
import { Page } from "../../components/page";

export function NotFoundRoute() {
  return (
    <Page title="Page not found">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <Link to="/dashboard">Go to your dashboard</Link>
      </p>
    </Page>
  );
}
