import { useId } from "react";
import { Link, useNavigate } from "react-router-dom";
import { Page } from "../../components/page";
import { ChangeEmailForm } from "../../features/account/components/change-email-form";
import { ChangePasswordForm } from "../../features/account/components/change-password-form";
import { useAuth, useSignedInUser } from "../../features/auth/auth-context";
import { MfaSettings } from "../../features/mfa/components/mfa-settings";
import { SessionsList } from "../../features/sessions/components/sessions-list";

export function SecurityRoute() {
  const user = useSignedInUser();
  const { endSession } = useAuth();
  const navigate = useNavigate();
  const deleteHeadingId = useId();
  return (
    <Page title="Security" wide>
      <h1>Security</h1>
      <ChangePasswordForm />
      <ChangeEmailForm currentEmail={user.email} />
      <MfaSettings />
      <SessionsList onLoggedOutEverywhere={() => endSession(() => void navigate("/login", { replace: true }))} />
      <section className="section" aria-labelledby={deleteHeadingId}>
        <h2 id={deleteHeadingId}>Delete account</h2>
        <p className="hint">Deleting your account removes it for good.</p>
        <p>
          <Link to="/delete-account">Delete your account…</Link>
        </p>
      </section>
    </Page>
  );
}
