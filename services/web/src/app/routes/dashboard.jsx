import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { useAuth } from "../../features/auth/auth-context.jsx";

export function DashboardPage() {
  const { user, logout } = useAuth();
  const navigate = useNavigate();
  const [pending, setPending] = useState(false);

  async function onLogout() {
    setPending(true);
    try {
      await logout();
    } finally {
      navigate("/login", { replace: true });
    }
  }

  return (
    <main className="card wide">
      <h1>Dashboard</h1>
      <p>You are signed in. This page is protected: only signed-in users see it.</p>
      <dl className="details">
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Username</dt>
        <dd>{user.username || "—"}</dd>
        <dt>Email confirmed</dt>
        <dd>{user.email_confirmed ? "Yes" : "No"}</dd>
        <dt>Member since</dt>
        <dd>{new Date(user.date_joined).toLocaleDateString(undefined, { dateStyle: "long" })}</dd>
        <dt>Roles</dt>
        <dd>{user.roles?.length ? user.roles.join(", ") : "—"}</dd>
      </dl>
      <button type="button" onClick={onLogout} disabled={pending}>
        Log out
      </button>
    </main>
  );
}
