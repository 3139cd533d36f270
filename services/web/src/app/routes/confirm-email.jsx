import { useEffect, useRef, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { confirmEmail } from "../../features/auth/api/confirm-email.js";

export function ConfirmEmailPage() {
  const { key } = useParams();
  const [state, setState] = useState({ status: "pending", detail: "" });
  // A key works once: StrictMode's second effect run must not spend it again.
  const sent = useRef(false);

  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    confirmEmail(key).then(
      () => setState({ status: "confirmed", detail: "" }),
      (error) => setState({ status: "failed", detail: error.detail }),
    );
  }, [key]);

  if (state.status === "pending") {
    return (
      <main className="card">
        <h1>Confirming your email…</h1>
      </main>
    );
  }
  if (state.status === "confirmed") {
    return (
      <main className="card">
        <h1>Email confirmed</h1>
        <p>Your email address is confirmed. You can log in now.</p>
        <p>
          <Link to="/login">Log in</Link>
        </p>
      </main>
    );
  }
  return (
    <main className="card">
      <h1>This link is invalid or has expired</h1>
      <p role="alert">{state.detail}</p>
      <p>
        <Link to="/login">Log in</Link> or <Link to="/register">create an account</Link>.
      </p>
    </main>
  );
}
