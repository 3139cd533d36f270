import { useCallback } from "react";
import { Link } from "react-router-dom";
import { RichText } from "../../../components/rich-text";
import { Loading } from "../../../components/loading";
import { useLoad } from "../../../hooks/use-load";
import { codeMessage, errorMessage } from "../../../lib/error-message";
import { useTranslation } from "../../../lib/use-translation";
import { confirmEmail } from "../api/confirm-email";

/** Spends the key from the email link (once) and says how it went. */
export function EmailConfirmation({ confirmationKey }: { confirmationKey: string }) {
  const { t } = useTranslation("auth", { keyPrefix: "confirmEmail" });
  // A key works once: useLoad sends it once per key, also under StrictMode, whose second effect
  // run would otherwise fail as "used" and the page would say the link is invalid.
  const state = useLoad(useCallback(() => confirmEmail(confirmationKey), [confirmationKey]));

  if (state.status === "loading") {
    return (
      <>
        <h1>{t("confirming")}</h1>
        <Loading label={t("confirmingStatus")} />
      </>
    );
  }
  if (state.status === "ready") {
    return (
      <>
        <h1>{t("confirmed")}</h1>
        <p>{t("confirmedText")}</p>
        <p>
          <Link to="/login">{t("logIn")}</Link>
        </p>
      </>
    );
  }
  if (state.error.status === 400) {
    return (
      <>
        <h1>{t("invalid")}</h1>
        <p role="alert">{codeMessage(state.error)}</p>
        <p>
          <RichText text={t("invalidNext")} elements={{ login: <Link to="/login" />, register: <Link to="/register" /> }} />
        </p>
      </>
    );
  }
  // A network problem, throttling or a server error: the link may still be good.
  return (
    <>
      <h1>{t("failed")}</h1>
      <p role="alert">{errorMessage(state.error)}</p>
      <button type="button" onClick={() => void state.reload()}>
        {t("tryAgain")}
      </button>
    </>
  );
}
