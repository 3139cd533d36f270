import { useCallback, useState, type ReactNode } from "react";
import { Link } from "react-router-dom";
import { Form } from "../../../components/form";
import { Loading } from "../../../components/loading";
import { RichText } from "../../../components/rich-text";
import { useForm } from "../../../hooks/use-form";
import { useLoad } from "../../../hooks/use-load";
import type { ApiError } from "../../../lib/api-client";
import { codeMessage, errorMessage } from "../../../lib/error-message";
import { useTranslation } from "../../../lib/use-translation";
import { confirmReset } from "../api/confirm-reset";
import { verifyResetLink } from "../api/verify-reset-link";
import { NewPasswordField } from "./new-password-field";
import { ResetDone } from "./reset-done";

interface ResetByLinkProps {
  uid: string;
  token: string;
  onReset?: () => void;
}

const isInvalidLink = (error: ApiError) => error.code === "invalid_reset" || error.status === 400;

/**
 * The page behind the emailed link: checks the link once, then asks for the new password.
 * The uid and token stay in memory and in the request bodies: they are not copied into the
 * title, links, storage or logs, and the page asks browsers not to send a Referer.
 */
export function ResetByLink({ uid, token, onReset }: ResetByLinkProps) {
  const { t } = useTranslation("password-reset", { keyPrefix: "byLink" });
  // useLoad verifies once per link, StrictMode or not; "Try again" verifies again.
  const check = useLoad(useCallback(() => verifyResetLink({ uid, token }), [uid, token]));
  const reset = useCallback(({ newPassword }: { newPassword: string }) => confirmReset({ uid, token, newPassword }), [uid, token]);
  const { values, change, handleSubmit, pending, error, fieldErrors } = useForm({ newPassword: "" }, reset);
  // After the form was sent: the reset's detail, or the refusal that killed the link meanwhile.
  const [done, setDone] = useState<{ detail: string | undefined } | null>(null);
  const [died, setDied] = useState<ApiError | null>(null);

  const onSubmit = handleSubmit({
    onSuccess: (data) => {
      setDone({ detail: data.detail });
      onReset?.();
    },
    onError: (refusal) => {
      if (refusal.code === "invalid_reset") setDied(refusal);
    },
  });

  const invalid = died ?? (check.status === "failed" && isInvalidLink(check.error) ? check.error : null);

  let content: ReactNode;
  if (done) {
    content = <ResetDone detail={done.detail} />;
  } else if (invalid) {
    content = (
      <>
        <h1>{t("invalid")}</h1>
        <p role="alert">{codeMessage(invalid)}</p>
        <p>
          <RichText text={t("askAgain")} elements={{ ask: <Link to="/forgot-password" /> }} />
        </p>
      </>
    );
  } else if (check.status === "loading") {
    content = (
      <>
        <h1>{t("checking")}</h1>
        <Loading label={t("checkingStatus")} />
      </>
    );
  } else if (check.status === "failed") {
    content = (
      <>
        <h1>{t("failed")}</h1>
        <p role="alert">{errorMessage(check.error)}</p>
        <button type="button" onClick={() => void check.reload()}>
          {t("tryAgain")}
        </button>
      </>
    );
  } else {
    content = (
      <>
        <h1>{t("choose")}</h1>
        <Form onSubmit={onSubmit} error={error} message={errorMessage(error, ["new_password"])} aria-label={t("label")}>
          <NewPasswordField value={values.newPassword} onChange={change} errors={fieldErrors.new_password} />
          <button type="submit" disabled={pending} aria-busy={pending || undefined}>
            {t("submit")}
          </button>
        </Form>
      </>
    );
  }
  return (
    <>
      <meta name="referrer" content="no-referrer" />
      {content}
    </>
  );
}
