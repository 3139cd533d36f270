import { useEffect, useId, useRef, type ChangeEvent } from "react";
import { updateLanguage } from "../features/account/api/update-language";
import { useAuth } from "../features/auth/auth-context";
import { currentLanguage, isLanguage, LANGUAGE_NAMES, LANGUAGES, setLanguage, type Language } from "../lib/i18n";
import { useTranslation } from "../lib/use-translation";

/**
 * The header's "Language" select, signed in or not: the page switches at once (and keeps the
 * choice for the next visit); signed in, the account gets it too, so it follows the user to
 * other browsers and its emails are in it.
 */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const { user, setUser } = useAuth();
  const id = useId();
  // Who is signed in when the PATCH answers: a user who logged out meanwhile stays logged out.
  const signedIn = useRef(user);
  useEffect(() => {
    signedIn.current = user;
  }, [user]);

  async function choose(language: Language) {
    await setLanguage(language);
    if (!user) return;
    try {
      const saved = await updateLanguage(language);
      if (signedIn.current?.id === saved.id) setUser(saved);
    } catch {
      // Quietly: the page has switched; the account keeps its language until the next change
      // (the Profile page shows which one it has).
    }
  }

  const onChange = (event: ChangeEvent<HTMLSelectElement>) => {
    const language = event.target.value;
    if (isLanguage(language)) void choose(language);
  };

  return (
    <div className="language-switch">
      <label htmlFor={id}>{t("language")}</label>
      <select id={id} value={currentLanguage()} onChange={onChange}>
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {LANGUAGE_NAMES.get(language)}
          </option>
        ))}
      </select>
    </div>
  );
}
