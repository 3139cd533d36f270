import type { ReactNode } from "react";
import { Navigate, useSearchParams } from "react-router-dom";
import { Loading } from "../../../components/loading";
import { safeNext } from "../../../lib/safe-next";
import { useAuth } from "../auth-context";

/** Visitors only (login, register): a signed-in user goes on to the dashboard (or a safe `next`). */
export function AnonymousRoute({ children }: { children: ReactNode }) {
  const { user, loading } = useAuth();
  const [params] = useSearchParams();
  if (loading) return <Loading />;
  if (user) return <Navigate to={safeNext(params.get("next"))} replace />;
  return children;
}
