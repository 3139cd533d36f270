import { Link, useLocation } from "react-router-dom";

export function CheckEmailPage() {
  const email = useLocation().state?.email;
  return (
    <main className="card">
      <h1>Check your email</h1>
      <p>
        We sent a confirmation link to {email ? <strong>{email}</strong> : "your email address"}. Open it to
        activate your account.
      </p>
      <p>
        Confirmed already? <Link to="/login">Log in</Link>
      </p>
    </main>
  );
}
