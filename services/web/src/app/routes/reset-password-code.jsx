import { useLocation } from "react-router-dom";
import { Page } from "../../components/page.jsx";
import { useAuth } from "../../features/auth/auth-context.jsx";
import { ResetByCodeForm } from "../../features/password-reset/components/reset-by-code-form.jsx";

export function ResetPasswordCodeRoute() {
  const email = useLocation().state?.email;
  const { user, endSession } = useAuth();
  const onReset = () => user && endSession();
  return (
    <Page title="Enter your reset code">
      <ResetByCodeForm initialEmail={typeof email === "string" ? email : ""} onReset={onReset} />
    </Page>
  );
}
