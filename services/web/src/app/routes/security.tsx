import { useId } from "react";
import { Link, useNavigate } from "react-router-dom";
import { Page } from "../../components/page";
import { ChangeEmailForm } from "../../features/account/components/change-email-form";
import { ChangePasswordForm } from "../../features/account/components/change-password-form";
import { useAuth, useSignedInUser } from "../../features/auth/auth-context";
import { MfaSettings } from "../../features/mfa/components/mfa-settings";
import { SessionsList } from "../../features/sessions/components/sessions-list";
import { useTranslation } from "../../lib/use-translation";

export function SecurityRoute() {
  const { t } = useTranslation("account", { keyPrefix: "security" });
  const user = useSignedInUser();
  const { endSession } = useAuth();
  const navigate = useNavigate();
  const deleteHeadingId = useId();
  return (
    <Page title={t("title")} wide>
      <h1>{t("title")}</h1>
      <ChangePasswordForm />
      <ChangeEmailForm currentEmail={user.email} />
      <MfaSettings />
      <SessionsList onLoggedOutEverywhere={() => endSession(() => void navigate("/login", { replace: true }))} />
      <section className="section" aria-labelledby={deleteHeadingId}>
        <h2 id={deleteHeadingId}>{t("deleteTitle")}</h2>
        <p className="hint">{t("deleteHint")}</p>
        <p>
          <Link to="/delete-account">{t("deleteLink")}</Link>
        </p>
      </section>
    </Page>
  );
}
