import { Suspense } from "react";
import { NavLink, Outlet, useNavigate } from "react-router-dom";
import { Loading } from "../components/loading";
import { useUser } from "../features/auth/auth-context";
import { LogoutButton } from "../features/auth/components/logout-button";
import { isAdmin } from "../lib/roles";
import { useTranslation } from "../lib/use-translation";

/**
 * Around every signed-in page: the account navigation (Dashboard, Profile, Security, Security
 * activity, Users for admins) with the one "Log out" button, and the page (lazy pages load under
 * it while the navigation stays put).
 */
export function AuthenticatedLayout() {
  const { t } = useTranslation("common", { keyPrefix: "nav" });
  const user = useUser();
  const navigate = useNavigate();
  return (
    <>
      <nav className="app-nav" aria-label={t("label")}>
        <ul>
          <li>
            <NavLink to="/dashboard">{t("dashboard")}</NavLink>
          </li>
          <li>
            <NavLink to="/profile">{t("profile")}</NavLink>
          </li>
          <li>
            <NavLink to="/security">{t("security")}</NavLink>
          </li>
          <li>
            <NavLink to="/security-activity">{t("securityActivity")}</NavLink>
          </li>
          {isAdmin(user) && (
            <li>
              <NavLink to="/manage/users">{t("users")}</NavLink>
            </li>
          )}
        </ul>
        <LogoutButton onLoggedOut={() => void navigate("/login", { replace: true })} />
      </nav>
      <Suspense fallback={<Loading />}>
        <Outlet />
      </Suspense>
    </>
  );
}
