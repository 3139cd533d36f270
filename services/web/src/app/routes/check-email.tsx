import { Link, useLocation } from "react-router-dom";
import { Page } from "../../components/page";
import { RichText } from "../../components/rich-text";
import { ResendConfirmation } from "../../features/auth/components/resend-confirmation";
import { stateString } from "../../lib/router-state";
import { useTranslation } from "../../lib/use-translation";

export function CheckEmailRoute() {
  const { t } = useTranslation("auth", { keyPrefix: "checkEmail" });
  const email = stateString(useLocation().state, "email");
  return (
    <Page title={t("title")}>
      <h1>{t("title")}</h1>
      <p>{email ? <RichText text={t("sentTo")} elements={{ email: <strong>{email}</strong> }} /> : t("sent")}</p>
      <p className="hint">{t("spam")}</p>
      <ResendConfirmation email={email ?? ""} />
      <p className="aside">
        <Link to="/login">{t("logIn")}</Link>
      </p>
    </Page>
  );
}
