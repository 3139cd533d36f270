import { Link, useNavigate } from "react-router-dom";
import { Page } from "../../components/page";
import { DeleteAccountForm } from "../../features/account/components/delete-account-form";
import { useAuth } from "../../features/auth/auth-context";
import { useTranslation } from "../../lib/use-translation";
import { ACCOUNT_DELETED } from "./login";

export function DeleteAccountRoute() {
  const { t } = useTranslation("account", { keyPrefix: "deleteAccount" });
  const { endSession } = useAuth();
  const navigate = useNavigate();
  const onDeleted = () =>
    endSession(() => void navigate("/login", { replace: true, state: { notice: ACCOUNT_DELETED } }));
  return (
    <Page title={t("title")}>
      <h1>{t("title")}</h1>
      <p className="warning">{t("warning")}</p>
      <DeleteAccountForm onDeleted={onDeleted} />
      <p className="aside">
        <Link to="/security">{t("keep")}</Link>
      </p>
    </Page>
  );
}
