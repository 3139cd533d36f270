import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { StrictMode, type ReactNode } from "react";
import { MemoryRouter, Route, Routes, useLocation, type InitialEntry } from "react-router-dom";
import { AuthProvider, useAuth } from "../features/auth/auth-context";

function LocationProbe() {
  const location = useLocation();
  return <span data-testid="location">{location.pathname + location.search}</span>;
}

function UserProbe() {
  const { user, loading } = useAuth();
  return <span data-testid="user">{loading ? "loading" : (user?.email ?? "anonymous")}</span>;
}

/**
 * `routes` (<Route> elements) under StrictMode, the auth provider and a MemoryRouter at
 * `entry`. Any other path renders "elsewhere". location() and signedIn() read the probes.
 */
export function renderRoutes(routes: ReactNode, entry: InitialEntry = "/") {
  const user = userEvent.setup();
  const result = render(
    <StrictMode>
      <AuthProvider>
        <MemoryRouter initialEntries={[entry]}>
          <Routes>
            {routes}
            <Route path="*" element={<p>elsewhere</p>} />
          </Routes>
          <LocationProbe />
          <UserProbe />
        </MemoryRouter>
      </AuthProvider>
    </StrictMode>,
  );
  return {
    ...result,
    user,
    location: () => screen.getByTestId("location").textContent,
    signedIn: () => screen.getByTestId("user").textContent,
  };
}
