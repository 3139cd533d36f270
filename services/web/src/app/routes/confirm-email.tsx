import { useParams } from "react-router-dom";
import { Page } from "../../components/page";
import { EmailConfirmation } from "../../features/auth/components/email-confirmation";
import { useTranslation } from "../../lib/use-translation";

export function ConfirmEmailRoute() {
  const { t } = useTranslation("auth", { keyPrefix: "confirmEmail" });
  // The route is /confirm-email/:key, so the key is always there.
  const { key = "" } = useParams();
  return (
    <Page title={t("title")}>
      <EmailConfirmation confirmationKey={key} />
    </Page>
  );
}
