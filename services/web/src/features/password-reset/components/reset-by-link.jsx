import { useCallback, useEffect, useRef, useState } from "react";
import { Link } from "react-router-dom";
import { Form } from "../../../components/form.jsx";
import { Loading } from "../../../components/loading.jsx";
import { useSubmit } from "../../../hooks/use-submit.js";
import { errorMessage } from "../../../lib/error-message.js";
import { confirmReset } from "../api/confirm-reset.js";
import { verifyResetLink } from "../api/verify-reset-link.js";
import { NewPasswordField } from "./new-password-field.jsx";
import { ResetDone } from "./reset-done.jsx";

/**
 * The page behind the emailed link: checks the link once, then asks for the new password.
 * The uid and token stay in memory and in the request bodies: they are not copied into the
 * title, links, storage or logs, and the page asks browsers not to send a Referer.
 */
export function ResetByLink({ uid, token, onReset }) {
  const [state, setState] = useState({ status: "checking", error: null, detail: null });
  const [password, setPassword] = useState("");
  // StrictMode runs effects twice: verify once per link.
  const checkedFor = useRef(null);
  const { submit, pending, error, fieldErrors } = useSubmit(confirmReset);

  const verify = useCallback(async () => {
    setState({ status: "checking", error: null, detail: null });
    try {
      await verifyResetLink({ uid, token });
      setState({ status: "valid", error: null, detail: null });
    } catch (caught) {
      setState({ status: caught?.code === "invalid_reset" || caught?.status === 400 ? "invalid" : "failed", error: caught });
    }
  }, [uid, token]);

  useEffect(() => {
    const key = `${uid}/${token}`;
    if (checkedFor.current === key) return;
    checkedFor.current = key;
    verify();
  }, [uid, token, verify]);

  async function onSubmit(event) {
    event.preventDefault();
    const result = await submit({ uid, token, newPassword: password });
    if (result.ok) {
      setState({ status: "done", error: null, detail: result.data?.detail });
      onReset?.();
    } else if (result.error?.code === "invalid_reset") {
      setState({ status: "invalid", error: result.error });
    }
  }

  let content;
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
        <button type="button" onClick={verify}>
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
