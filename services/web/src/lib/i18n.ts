// The app's languages: i18next (with the app's own React hook, lib/use-translation.ts), English (the default and the fallback) and
// German, one JSON catalogue per namespace and language (src/locales/<language>/<namespace>.json).
// `common` holds what the first download shows (the shell, lib's messages, the login and
// dashboard pages: the entry chunk's components); every other namespace is a feature's, for the
// pages loaded on demand. Only the English `common` is bundled: every other catalogue is a chunk
// of its own, fetched the first time a page needs it, so the first load stays small. A language
// is switched only once its catalogues are in (i18next loads them before it changes), so the
// page never shows a raw key.
import i18next, { type BackendModule, type InitOptions, type ResourceKey } from "i18next";
import type account from "../locales/en/account.json";
import type adminUsers from "../locales/en/admin-users.json";
import type auth from "../locales/en/auth.json";
import common from "../locales/en/common.json";
import type deviceAlerts from "../locales/en/device-alerts.json";
import type mfa from "../locales/en/mfa.json";
import type passwordReset from "../locales/en/password-reset.json";
import type reauth from "../locales/en/reauth.json";
import type securityLog from "../locales/en/security-log.json";
import type sessions from "../locales/en/sessions.json";

declare module "i18next" {
  // t() takes only keys the English catalogues have: a missing one fails `npm run lint`.
  interface CustomTypeOptions {
    defaultNS: "common";
    resources: {
      common: typeof common;
      auth: typeof auth;
      account: typeof account;
      "admin-users": typeof adminUsers;
      "device-alerts": typeof deviceAlerts;
      mfa: typeof mfa;
      "password-reset": typeof passwordReset;
      reauth: typeof reauth;
      "security-log": typeof securityLog;
      sessions: typeof sessions;
    };
  }
}

export const LANGUAGES = ["en", "de"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "en";
/** The namespace of t() when none is named: the first load's words. */
export const DEFAULT_NAMESPACE = "common";

/** Each language by its own name, the same whatever the page's language. */
export const LANGUAGE_NAMES: ReadonlyMap<Language, string> = new Map([
  ["en", "English"],
  ["de", "Deutsch"],
]);

/** Where the chosen language is kept between visits (a preference, nothing about the session). */
export const LANGUAGE_STORAGE_KEY = "language";

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The language to start in: the one chosen before (`saved`), else the first of the browser's
 * languages that is English or German in any region ("de-AT" → "de"), else English. Written
 * here because i18next's own best match prefers an exact later match: it would take "en" from
 * ["de-AT", "en"].
 */
export function preferredLanguage(saved: string | null, browser: readonly string[]): Language {
  if (isLanguage(saved)) return saved;
  for (const tag of browser) {
    const primary = tag.trim().toLowerCase().split("-")[0];
    if (isLanguage(primary)) return primary;
  }
  return DEFAULT_LANGUAGE;
}

function savedLanguage(): string | null {
  try {
    return localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    // Storage can be switched off: then every visit starts from the browser's languages.
    return null;
  }
}

function saveLanguage(language: Language): void {
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Not kept for the next visit; this one still switches.
  }
}

// Every catalogue that is not bundled, each a chunk that is fetched on first use.
const lazyCatalogues = new Map(
  Object.entries(
    import.meta.glob<ResourceKey>(["../locales/*/*.json", "!../locales/en/common.json"], {
      import: "default",
    }),
  ),
);

// i18next's backend interface, as i18next-resources-to-backend implements it (without its
// @babel/runtime): a failed fetch is retried (`true`), a catalogue that does not exist is not.
const lazyBackend: BackendModule = {
  type: "backend",
  callbackApi: true,
  init: () => undefined,
  read: (language, namespace, callback) => {
    const load = lazyCatalogues.get(`../locales/${language}/${namespace}.json`);
    if (!load) {
      callback(`There is no ${language} catalogue for ${namespace}.`, false);
      return;
    }
    load().then(
      (catalogue) => callback(null, catalogue),
      (error: unknown) => callback(error instanceof Error ? error : String(error), true),
    );
  },
};

/** The one i18next instance: useTranslation() (lib/use-translation.ts) and the plain functions of lib/ share it. */
export const i18n = i18next.createInstance();
i18n.use(lazyBackend);
// Assistive technology and the browser's own words (spelling, hyphens) follow the page.
i18n.on("languageChanged", (language) => {
  document.documentElement.lang = language;
});

/** The language a page load starts in: the saved choice, else the browser's (preferredLanguage). */
export function initialLanguage(): Language {
  return preferredLanguage(savedLanguage(), navigator.languages);
}

/**
 * Starts i18next in the preferred language (its catalogues loaded first). `overrides` are for
 * tests, e.g. a missingKeyHandler that fails on a key no catalogue has.
 */
export function initI18n(overrides: InitOptions = {}): Promise<unknown> {
  return i18n.init({
    lng: initialLanguage(),
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: LANGUAGES,
    ns: [DEFAULT_NAMESPACE],
    defaultNS: DEFAULT_NAMESPACE,
    resources: { en: { common } },
    partialBundledLanguages: true,
    // React escapes what it renders; escaping here too would show "&amp;".
    interpolation: { escapeValue: false },
    returnEmptyString: false,
    ...overrides,
  });
}

/** The language the page is in. */
export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
}

/** Switches the page once the language's catalogues are in, and keeps it for the next visit. */
export async function setLanguage(language: Language): Promise<void> {
  saveLanguage(language);
  await i18n.changeLanguage(language);
}
