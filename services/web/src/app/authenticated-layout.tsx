import { Suspense } from "react";
import { NavLink, Outlet, useNavigate } from "react-router-dom";
import { Loading } from "../components/loading";
import { useUser } from "../features/auth/auth-context";
import { LogoutButton } from "../features/auth/components/logout-button";
import { isAdmin } from "../lib/roles";

/**
 * Around every signed-in page: the account navigation (Dashboard, Profile, Security, Security
 * activity, Users for admins) with the one "Log out" button, and the page (lazy pages load under
 * it while the navigation stays put).
 */
export function AuthenticatedLayout() {
  const user = useUser();
  const navigate = useNavigate();
  return (
    <>
      <nav className="app-nav" aria-label="Account">
        <ul>
          <li>
            <NavLink to="/dashboard">Dashboard</NavLink>
          </li>
          <li>
            <NavLink to="/profile">Profile</NavLink>
          </li>
          <li>
            <NavLink to="/security">Security</NavLink>
          </li>
          <li>
            <NavLink to="/security-activity">Security activity</NavLink>
          </li>
          {isAdmin(user) && (
            <li>
              <NavLink to="/manage/users">Users</NavLink>
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
