import { useParams } from "react-router-dom";
import { Page } from "../../components/page";
import { EmailConfirmation } from "../../features/auth/components/email-confirmation";

export function ConfirmEmailRoute() {
  // The route is /confirm-email/:key, so the key is always there.
  const { key = "" } = useParams();
  return (
    <Page title="Confirm your email">
      <EmailConfirmation confirmationKey={key} />
    </Page>
  );
}
