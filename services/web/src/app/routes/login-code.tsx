import { Link, useLocation, useNavigate, useSearchParams } from "react-router-dom";
import { Page } from "../../components/page";
import { EmailCodeLogin } from "../../features/auth/components/email-code-login";
import { safeNext } from "../../lib/safe-next";
import { useTranslation } from "../../lib/use-translation";

/** Log in with a code sent by email; an account with a second factor goes on to /login/verify. */
export function LoginCodeRoute() {
  const { t } = useTranslation("auth", { keyPrefix: "loginCode" });
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  return (
    <Page title={t("title")}>
      <h1>{t("title")}</h1>
      <EmailCodeLogin onSuccess={() => void navigate(safeNext(params.get("next")), { replace: true })}
        onMfaRequired={() => void navigate({ pathname: "/login/verify", search: location.search })} />
      <p className="aside">
        <Link to={{ pathname: "/login", search: location.search }}>{t("withPassword")}</Link>
      </p>
    </Page>
  );
}
