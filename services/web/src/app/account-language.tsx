import { useEffect, type ReactNode } from "react";
import { useUser } from "../features/auth/auth-context";
import { currentLanguage, isLanguage, setLanguage } from "../lib/i18n";

/**
 * Signed in, the account's language is the page's: when `me` or a login brings a user whose
 * language is not the page's, the page switches to it. A change made here (the header, the
 * profile) reaches the account first, so it is not undone.
 */
export function AccountLanguage({ children }: { children?: ReactNode }) {
  const language = useUser()?.language;
  useEffect(() => {
    if (isLanguage(language) && language !== currentLanguage()) void setLanguage(language);
  }, [language]);
  return children;
}
