import { Link } from "react-router-dom";
import { Page } from "../../components/page";
import { ForgotPasswordForm } from "../../features/password-reset/components/forgot-password-form";

export function ForgotPasswordRoute() {
  return (
    <Page title="Forgot your password?">
      <h1>Forgot your password?</h1>
      <p>Enter the email address of your account. We will send you a link and a code to choose a new password.</p>
      <ForgotPasswordForm />
      <p className="aside">
        Remembered it? <Link to="/login">Log in</Link>
      </p>
    </Page>
  );
}
