import { StrictMode, type ReactNode } from "react";
import { AuthProvider } from "../features/auth/auth-context";
import { AccountLanguage } from "./account-language";
import { ReauthProvider } from "./reauth-provider";

/** Everything the pages need around them, except the router (tests bring a MemoryRouter). */
export function AppProvider({ children }: { children?: ReactNode }) {
  return (
    <StrictMode>
      <AuthProvider>
        <AccountLanguage>
          <ReauthProvider>{children}</ReauthProvider>
        </AccountLanguage>
      </AuthProvider>
    </StrictMode>
  );
}
