import { Navigate, useLocation } from "react-router-dom";
import { useAuth } from "../auth-context.jsx";

export function Loading() {
  return (
    <p className="loading" role="status">
      Loading…
    </p>
  );
}

/** Anonymous visitors go to the login page, which sends them back here afterwards. */
export function AuthenticatedRoute({ children }) {
  const { user, loading } = useAuth();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!user) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return children;
}
