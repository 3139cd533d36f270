import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { Link } from "react-router-dom";
import { RichText } from "../../../components/rich-text";
import { useSubmit } from "../../../hooks/use-submit";
import type { ApiError } from "../../../lib/api-client";
import type { Detail } from "../../../lib/api-types";
import { errorMessage } from "../../../lib/error-message";
import { useTranslation } from "../../../lib/use-translation";

const isInvalidLink = (error: ApiError) => error.code === "invalid_key" || error.status === 400;

export interface SignInAlertAnswerProps {
  /** The key from the emailed link: sent in the body only, never copied anywhere else. */
  alertKey: string;
  /** The API call that spends the key. */
  send: (key: string) => Promise<Detail>;
  title: string;
  /** What the answer does, above the button. */
  explanation: ReactNode;
  button: string;
  danger?: boolean;
  /** Below the button, e.g. a link to the other answer. */
  aside?: ReactNode;
  doneTitle: string;
  doneMessage: string;
  /** Below the done message. */
  doneMore?: ReactNode;
  onDone?: () => void;
}

/**
 * One answer to a new-device email ("Yes, it was me" or "This wasn't me"). Nothing is sent
 * when the page opens (mail scanners open links): only the button sends the key, once. Then it
 * says it is done, or that the link is no good (invalid, used, expired); any other failure
 * keeps the button for another try.
 */
export function SignInAlertAnswer(props: SignInAlertAnswerProps) {
  const { t } = useTranslation("device-alerts", { keyPrefix: "invalid" });
  const { alertKey, send, onDone } = props;
  const answer = useSubmit(useCallback(() => send(alertKey), [send, alertKey]));
  const [outcome, setOutcome] = useState<"asking" | "done" | "invalid">("asking");
  const headingRef = useRef<HTMLHeadingElement>(null);

  // The button that was pressed is gone: land on what happened, so it is read out first.
  useEffect(() => {
    if (outcome !== "asking") headingRef.current?.focus();
  }, [outcome]);

  async function submit() {
    const result = await answer.submit();
    if (result.ok) {
      setOutcome("done");
      onDone?.();
    } else if (result.error && isInvalidLink(result.error)) {
      setOutcome("invalid");
    }
  }

  let content: ReactNode;
  if (outcome === "done") {
    content = (
      <>
        <h1 tabIndex={-1} ref={headingRef}>
          {props.doneTitle}
        </h1>
        <p className="notice success" role="status">
          {props.doneMessage}
        </p>
        {props.doneMore}
      </>
    );
  } else if (outcome === "invalid") {
    content = (
      <>
        <h1 tabIndex={-1} ref={headingRef}>
          {t("title")}
        </h1>
        <p className="form-error" role="alert">
          {t("message")}
        </p>
        <p>
          <RichText text={t("next")} elements={{ activity: <Link to="/security-activity" /> }} />
        </p>
      </>
    );
  } else {
    content = (
      <>
        <h1>{props.title}</h1>
        {props.explanation}
        {answer.error && (
          <p className="form-error" role="alert">
            {errorMessage(answer.error)}
          </p>
        )}
        <div className="actions">
          <button type="button" className={props.danger ? "danger" : undefined} onClick={() => void submit()}
            disabled={answer.pending} aria-busy={answer.pending || undefined}>
            {props.button}
          </button>
        </div>
        {props.aside}
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
