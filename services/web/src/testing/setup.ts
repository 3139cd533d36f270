import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import type { ResourceKey } from "i18next";
import { afterEach, beforeAll, beforeEach } from "vitest";
import { DEFAULT_LANGUAGE, i18n, initI18n } from "../lib/i18n";

function clearCookies() {
  for (const part of document.cookie.split(";")) {
    const name = part.split("=")[0]?.trim();
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  }
}

// Every English catalogue up front, so a component rendered on its own (no Suspense around it)
// never waits for one; German ones load as they do in the browser.
const english = import.meta.glob<ResourceKey>("../locales/en/*.json", { eager: true, import: "default" });
const namespace = (path: string) => path.replace(/^.*\/(.+)\.json$/, "$1");

/** A t() key that the English catalogues lack fails the test that used it (src/locales/catalogues.test.ts proves it). */
function failOnMissingKey(_languages: readonly string[], ns: string, key: string): void {
  throw new Error(`No English text for the key ${ns}:${key} (src/locales/en/${ns}.json)`);
}

beforeAll(async () => {
  const catalogues = Object.entries(english).map(([path, catalogue]) => [namespace(path), catalogue] as const);
  await initI18n({
    lng: DEFAULT_LANGUAGE,
    resources: { en: Object.fromEntries(catalogues) },
    // Every namespace counts as in use, so switching language loads them all before it switches.
    ns: catalogues.map(([name]) => name),
    saveMissing: true,
    missingKeyHandler: failOnMissingKey,
  });
});

// The tests are written in English: each starts there, whatever the one before switched to.
beforeEach(async () => {
  if (i18n.language !== DEFAULT_LANGUAGE) await i18n.changeLanguage(DEFAULT_LANGUAGE);
});

afterEach(() => {
  cleanup();
  clearCookies();
  localStorage.clear();
  sessionStorage.clear();
});
