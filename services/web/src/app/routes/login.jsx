import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { Page } from "../../components/page.jsx";
import { LoginForm } from "../../features/auth/components/login-form.jsx";
import { safeNext } from "../../lib/safe-next.js";

export function LoginRoute() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return (
    <Page title="Log in">
      <h1>Log in</h1>
      <LoginForm onSuccess={() => navigate(safeNext(params.get("next")), { replace: true })} />
      <p className="aside">
        New here? <Link to="/register">Create an account</Link>
      </p>
    </Page>
  );
}
