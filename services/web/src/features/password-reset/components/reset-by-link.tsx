import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Link } from "react-router-dom";
import { Form } from "../../../components/form";
import { Loading } from "../../../components/loading";
import { useSubmit } from "../../../hooks/use-submit";
import { asApiError, type ApiError } from "../../../lib/api-client";
import { errorMessage } from "../../../lib/error-message";
import { confirmReset } from "../api/confirm-reset";
import { verifyResetLink } from "../api/verify-reset-link";
import { NewPasswordField } from "./new-password-field";
import { ResetDone } from "./reset-done";

/**
 * The page behind the emailed link: checks the link once, then asks for the new password.
 * The uid and token stay in memory and in the request bodies: they are not copied into the
 * title, links, storage or logs, and the page asks browsers not to send a Referer.
 */
type LinkState =
  | { status: "checking" | "valid"; error: null; detail: null }
  | { status: "done"; error: null; detail: string | undefined }
  | { status: "invalid" | "failed"; error: ApiError; detail?: null };

interface ResetByLinkProps {
  uid: string;
  token: string;
  onReset?: () => void;
}

export function ResetByLink({ uid, token, onReset }: ResetByLinkProps) {
  const [state, setState] = useState<LinkState>({ status: "checking", error: null, detail: null });
  const [password, setPassword] = useState("");
  // StrictMode runs effects twice: verify once per link.
  const checkedFor = useRef<string | null>(null);
  const { submit, pending, error, fieldErrors } = useSubmit(confirmReset);

  const verify = useCallback(async () => {
    setState({ status: "checking", error: null, detail: null });
    try {
      await verifyResetLink({ uid, token });
      setState({ status: "valid", error: null, detail: null });
    } catch (caught) {
      const error = asApiError(caught);
      setState({ status: error.code === "invalid_reset" || error.status === 400 ? "invalid" : "failed", error });
    }
  }, [uid, token]);

  useEffect(() => {
    const key = `${uid}/${token}`;
    if (checkedFor.current === key) return;
    checkedFor.current = key;
    void verify();
  }, [uid, token, verify]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await submit({ uid, token, newPassword: password });
    if (result.ok) {
      setState({ status: "done", error: null, detail: result.data?.detail });
      onReset?.();
    } else if (result.error?.code === "invalid_reset") {
      setState({ status: "invalid", error: result.error });
    }
  }

  let content: ReactNode;
  if (state.status === "checking") {
    content = (
      <>
        <h1>Checking your reset link…</h1>
        <Loading label="Checking…" />
      </>
    );
  } else if (state.status === "done") {
    content = <ResetDone detail={state.detail} />;
  } else if (state.status === "invalid") {
    content = (
      <>
        <h1>This reset link is invalid or has expired</h1>
        <p role="alert">{state.error?.detail}</p>
        <p>
          Links work once and expire after a while. <Link to="/forgot-password">Ask for a new one</Link>.
        </p>
      </>
    );
  } else if (state.status === "failed") {
    content = (
      <>
        <h1>We could not check your reset link</h1>
        <p role="alert">{errorMessage(state.error)}</p>
        <button type="button" onClick={() => void verify()}>
          Try again
        </button>
      </>
    );
  } else {
    content = (
      <>
        <h1>Choose a new password</h1>
        <Form onSubmit={onSubmit} error={error} message={errorMessage(error, ["new_password"])} aria-label="Reset password">
          <NewPasswordField value={password} onChange={(event) => setPassword(event.target.value)}
            errors={fieldErrors.new_password} />
          <button type="submit" disabled={pending} aria-busy={pending || undefined}>
            Set new password
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
