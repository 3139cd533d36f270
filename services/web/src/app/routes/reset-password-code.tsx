import { useLocation } from "react-router-dom";
import { Page } from "../../components/page";
import { useAuth } from "../../features/auth/auth-context";
import { ResetByCodeForm } from "../../features/password-reset/components/reset-by-code-form";
import { stateString } from "../../lib/router-state";
import { useTranslation } from "../../lib/use-translation";

export function ResetPasswordCodeRoute() {
  const { t } = useTranslation("password-reset", { keyPrefix: "byCode" });
  const email = stateString(useLocation().state, "email");
  const { user, endSession } = useAuth();
  const onReset = () => user && endSession();
  return (
    <Page title={t("title")}>
      <ResetByCodeForm initialEmail={email ?? ""} onReset={onReset} />
    </Page>
  );
}
