import { StrictMode } from "react";
import { AuthProvider } from "../features/auth/auth-context.jsx";

/** Everything the pages need around them, except the router (tests bring a MemoryRouter). */
export function AppProvider({ children }) {
  return (
    <StrictMode>
      <AuthProvider>{children}</AuthProvider>
    </StrictMode>
  );
}
