import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, useLocation, type InitialEntry } from "react-router-dom";
import { AppProvider } from "../app/provider";
import { AppRoutes } from "../app/router";

function LocationProbe() {
  const location = useLocation();
  return <span data-testid="location">{location.pathname + location.search}</span>;
}

/**
 * The whole app (StrictMode and the auth provider included) at `path`, in memory.
 * `entry` may be a path or {pathname, search, state}.
 */
export function renderApp(entry: InitialEntry = "/") {
  const user = userEvent.setup();
  const result = render(
    <AppProvider>
      <MemoryRouter initialEntries={[entry]}>
        <AppRoutes />
        <LocationProbe />
      </MemoryRouter>
    </AppProvider>,
  );
  return { ...result, user, location: () => screen.getByTestId("location").textContent };
}
