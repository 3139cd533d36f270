import { Link } from "react-router-dom";
import { useTranslation } from "../../../lib/use-translation";

/** What both ways of resetting end on. */
export function ResetDone({ detail }: { detail: string | null | undefined }) {
  const { t } = useTranslation("password-reset", { keyPrefix: "done" });
  return (
    <>
      <h1>{t("title")}</h1>
      <p role="status">{detail || t("text")}</p>
      <p>
        <Link to="/login">{t("logIn")}</Link>
      </p>
    </>
  );
}
