import { useEffect } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router-dom";
import { Page } from "../../components/page";
import { StatusMessage } from "../../components/status-message";
import { useAuth } from "../../features/auth/auth-context";
import { LoginForm } from "../../features/auth/components/login-form";
import { PasskeyLoginButton } from "../../features/auth/components/passkey-login-button";
import { stateString } from "../../lib/router-state";
import { safeNext } from "../../lib/safe-next";

export function LoginRoute() {
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const { forgetPendingMfa } = useAuth();
  // Set by this app only (e.g. "Your account has been deleted." after deleting it; a problem
  // such as a second step that expired).
  const notice = stateString(location.state, "notice");
  const problem = stateString(location.state, "problem");
  // Back on the first step: a second step left unfinished is given up.
  useEffect(() => forgetPendingMfa(), [forgetPendingMfa]);

  const afterLogin = () => void navigate(safeNext(params.get("next")), { replace: true });
  // The next steps keep ?next= so they end where this page would have.
  const toStep = (pathname: string) => void navigate({ pathname, search: location.search });

  return (
    <Page title="Log in">
      <h1>Log in</h1>
      <StatusMessage message={problem ?? notice} className={problem ? "warning" : "notice success"} />
      <LoginForm onSuccess={afterLogin} onMfaRequired={() => toStep("/login/verify")} />
      <div className="alternatives" role="group" aria-label="Other ways to log in">
        <PasskeyLoginButton onSuccess={afterLogin} />
        <button type="button" className="secondary" onClick={() => toStep("/login/code")}>
          Email me a code
        </button>
      </div>
      <p className="aside">
        <Link to="/forgot-password">Forgot password?</Link>
      </p>
      <p className="aside">
        New here? <Link to="/register">Create an account</Link>
      </p>
    </Page>
  );
}
