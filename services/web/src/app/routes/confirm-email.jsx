import { useParams } from "react-router-dom";
import { Page } from "../../components/page.jsx";
import { EmailConfirmation } from "../../features/auth/components/email-confirmation.jsx";

export function ConfirmEmailRoute() {
  const { key } = useParams();
  return (
    <Page title="Confirm your email">
      <EmailConfirmation confirmationKey={key} />
    </Page>
  );
}
