import { Link } from "react-router-dom";
import { Page } from "../../components/page";
import { ForgotPasswordForm } from "../../features/password-reset/components/forgot-password-form";
import { useTranslation } from "../../lib/use-translation";

export function ForgotPasswordRoute() {
  const { t } = useTranslation("password-reset", { keyPrefix: "forgot" });
  return (
    <Page title={t("title")}>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      <ForgotPasswordForm />
      <p className="aside">
        {t("remembered")} <Link to="/login">{t("logIn")}</Link>
      </p>
    </Page>
  );
}
