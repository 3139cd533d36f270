import { Link, Navigate, useLocation, useNavigate, useSearchParams } from "react-router-dom";
import { Page } from "../../components/page";
import { useAuth } from "../../features/auth/auth-context";
import { SecondFactorForm } from "../../features/auth/components/second-factor-form";
import { safeNext } from "../../lib/safe-next";
import { useTranslation } from "../../lib/use-translation";
import { SIGN_IN_EXPIRED } from "./login";

/** The login's second step. Its challenge is in memory only: without one, log in again. */
export function LoginVerifyRoute() {
  const { t } = useTranslation("auth", { keyPrefix: "loginVerify" });
  const { pendingMfa } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const login = { pathname: "/login", search: location.search };

  if (!pendingMfa) return <Navigate to={login} replace />;

  const restart = () => void navigate(login, { replace: true, state: { problem: SIGN_IN_EXPIRED } });

  return (
    <Page title={t("title")}>
      <h1>{t("title")}</h1>
      <SecondFactorForm key={pendingMfa.challenge} mfa={pendingMfa} onRestart={restart}
        onSuccess={() => void navigate(safeNext(params.get("next")), { replace: true })} />
      <p className="aside">
        <Link to={login}>{t("cancel")}</Link>
      </p>
    </Page>
  );
}
