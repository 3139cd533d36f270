import { Link, useLocation, useNavigate, useSearchParams } from "react-router-dom";
import { Page } from "../../components/page";
import { StatusMessage } from "../../components/status-message";
import { LoginForm } from "../../features/auth/components/login-form";
import { stateString } from "../../lib/router-state";
import { safeNext } from "../../lib/safe-next";

export function LoginRoute() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // Set by this app only (e.g. "Your account has been deleted." after deleting it).
  const notice = stateString(useLocation().state, "notice");
  return (
    <Page title="Log in">
      <h1>Log in</h1>
      <StatusMessage message={notice} className="notice success" />
      <LoginForm onSuccess={() => void navigate(safeNext(params.get("next")), { replace: true })} />
      <p className="aside">
        <Link to="/forgot-password">Forgot password?</Link>
      </p>
      <p className="aside">
        New here? <Link to="/register">Create an account</Link>
      </p>
    </Page>
  );
}
