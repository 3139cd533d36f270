import { useEffect } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router-dom";
import { Page } from "../../components/page";
import { StatusMessage } from "../../components/status-message";
import { useAuth } from "../../features/auth/auth-context";
import { LoginForm } from "../../features/auth/components/login-form";
import { PasskeyLoginButton } from "../../features/auth/components/passkey-login-button";
import { codeMessage } from "../../lib/error-message";
import { stateString } from "../../lib/router-state";
import { safeNext } from "../../lib/safe-next";
import { useTranslation } from "../../lib/use-translation";

/** The router-state `notice` after deleting the account (delete-account.tsx). */
export const ACCOUNT_DELETED = "account_deleted";
/** The router-state `problem` of a second step that expired (login-verify.tsx). */
export const SIGN_IN_EXPIRED = "invalid_challenge";

export function LoginRoute() {
  const { t } = useTranslation("common", { keyPrefix: "login" });
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const { forgetPendingMfa } = useAuth();
  // Set by this app only, and named by code so it is said in the page's language: anything else
  // in history state (anyone's to write) shows nothing.
  const notice = stateString(location.state, "notice") === ACCOUNT_DELETED ? t("accountDeleted") : null;
  const problem = stateString(location.state, "problem") === SIGN_IN_EXPIRED ? codeMessage({ code: SIGN_IN_EXPIRED, detail: "" }) : null;
  // Back on the first step: a second step left unfinished is given up.
  useEffect(() => forgetPendingMfa(), [forgetPendingMfa]);

  const afterLogin = () => void navigate(safeNext(params.get("next")), { replace: true });
  // The next steps keep ?next= so they end where this page would have.
  const toStep = (pathname: string) => void navigate({ pathname, search: location.search });

  return (
    <Page title={t("title")}>
      <h1>{t("title")}</h1>
      <StatusMessage message={problem ?? notice} className={problem ? "warning" : "notice success"} />
      <LoginForm onSuccess={afterLogin} onMfaRequired={() => toStep("/login/verify")} />
      <div className="alternatives" role="group" aria-label={t("otherWays")}>
        <PasskeyLoginButton onSuccess={afterLogin} />
        <button type="button" className="secondary" onClick={() => toStep("/login/code")}>
          {t("emailMeACode")}
        </button>
      </div>
      <p className="aside">
        <Link to="/forgot-password">{t("forgotPassword")}</Link>
      </p>
      <p className="aside">
        {t("newHere")} <Link to="/register">{t("createAccount")}</Link>
      </p>
    </Page>
  );
}
