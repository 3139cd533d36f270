import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, useLocation, type InitialEntry } from "react-router-dom";
import { AppShell } from "../app/index";
import { AppProvider } from "../app/provider";

function LocationProbe() {
  const location = useLocation();
  return <span data-testid="location">{location.pathname + location.search}</span>;
}

/**
 * The whole app (StrictMode, the auth provider, the header and its language switch included) at
 * `path`, in memory.
 * `entry` may be a path or {pathname, search, state}.
 */
export function renderApp(entry: InitialEntry = "/") {
  const user = userEvent.setup();
  const result = render(
    <AppProvider>
      <MemoryRouter initialEntries={[entry]}>
        <AppShell />
        <LocationProbe />
      </MemoryRouter>
    </AppProvider>,
  );
  return { ...result, user, location: () => screen.getByTestId("location").textContent };
}
