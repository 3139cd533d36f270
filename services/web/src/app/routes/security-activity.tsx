import { Link } from "react-router-dom";
import { Page } from "../../components/page";
import { RichText } from "../../components/rich-text";
import { SecurityActivity } from "../../features/security-log/components/security-activity";
import { useTranslation } from "../../lib/use-translation";

export function SecurityActivityRoute() {
  const { t } = useTranslation("security-log");
  return (
    <Page title={t("title")} wide>
      <h1>{t("title")}</h1>
      <p className="hint">
        <RichText text={t("intro")} elements={{ security: <Link to="/security" /> }} />
      </p>
      <SecurityActivity />
    </Page>
  );
}
