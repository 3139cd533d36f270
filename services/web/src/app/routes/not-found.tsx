import { Link } from "react-router-dom";
import { Page } from "../../components/page";
import { useTranslation } from "../../lib/use-translation";

export function NotFoundRoute() {
  const { t } = useTranslation("common", { keyPrefix: "notFound" });
  return (
    <Page title={t("title")}>
      <h1>{t("title")}</h1>
      <p>{t("text")}</p>
      <p>
        <Link to="/dashboard">{t("dashboard")}</Link>
      </p>
    </Page>
  );
}
