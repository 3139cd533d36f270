import { Link, useNavigate } from "react-router-dom";
import { Page } from "../../components/page";
import { RegisterForm } from "../../features/auth/components/register-form";
import { useTranslation } from "../../lib/use-translation";

export function RegisterRoute() {
  const { t } = useTranslation("auth", { keyPrefix: "register" });
  const navigate = useNavigate();
  return (
    <Page title={t("title")}>
      <h1>{t("title")}</h1>
      <RegisterForm onSuccess={(email) => void navigate("/check-email", { state: { email } })} />
      <p className="aside">
        {t("haveAccount")} <Link to="/login">{t("logIn")}</Link>
      </p>
    </Page>
  );
}
