import type { ReactNode } from "react";
import { Navigate, useLocation, type Location } from "react-router-dom";
import { Loading } from "../../../components/loading";
import { useAuth } from "../auth-context";

/** The login URL that brings the user back to `location` afterwards. */
export function loginPathFor(location: Pick<Location, "pathname" | "search">): string {
  const next = location.pathname + location.search;
  return `/login?next=${encodeURIComponent(next)}`;
}

/** Signed-in users only: anonymous visitors go to the login page, which sends them back. */
export function AuthenticatedRoute({ children }: { children: ReactNode }) {
  const { user, loading } = useAuth();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!user) return <Navigate to={loginPathFor(location)} replace />;
  return children;
}
