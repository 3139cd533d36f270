import { Navigate, useSearchParams } from "react-router-dom";
import { safeNext } from "../../../lib/safe-next.js";
import { useAuth } from "../auth-context.jsx";
import { Loading } from "./authenticated-route.jsx";

/** Pages for visitors only (login, register): a signed-in user goes where they were headed. */
export function AnonymousRoute({ children }) {
  const { user, loading } = useAuth();
  const [params] = useSearchParams();
  if (loading) return <Loading />;
  if (user) return <Navigate to={safeNext(params.get("next"))} replace />;
  return children;
}
