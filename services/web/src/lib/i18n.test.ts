import { afterEach, describe, expect, it, vi } from "vitest";
import { i18n, LANGUAGE_STORAGE_KEY, preferredLanguage, setLanguage } from "./i18n";

/** lib/i18n.ts as a page load finds it: a new instance, started as main.tsx starts it. */
async function startPage() {
  vi.resetModules();
  const fresh = await import("./i18n");
  await fresh.initI18n();
  return fresh;
}

describe("preferredLanguage", () => {
  it.each([
    [null, ["de-AT", "en-US"], "de"],
    [null, ["fr-FR", "de-CH", "en"], "de"],
    [null, ["en-GB", "de"], "en"],
    [null, ["DE"], "de"],
    [null, ["fr", "it"], "en"],
    [null, [], "en"],
    ["de", ["en-US"], "de"],
    ["en", ["de-DE"], "en"],
    ["fr", ["de-DE"], "de"],
    ["", ["de-DE"], "de"],
  ])("with %j saved and the browser's %j: %s", (saved, browser, language) => {
    expect(preferredLanguage(saved, browser)).toBe(language);
  });
});

describe("the page's language", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("starts in the browser's language when none was chosen, and says so on <html>", async () => {
    vi.stubGlobal("navigator", { ...navigator, languages: ["de-AT", "de", "en"] });
    const page = await startPage();
    expect(page.currentLanguage()).toBe("de");
    expect(document.documentElement.lang).toBe("de");
    expect(page.i18n.t("login.title")).toBe("Anmelden");
  });

  it("starts in the one chosen before, whatever the browser says", async () => {
    vi.stubGlobal("navigator", { ...navigator, languages: ["de-DE"] });
    localStorage.setItem(LANGUAGE_STORAGE_KEY, "en");
    const page = await startPage();
    expect(page.currentLanguage()).toBe("en");
    expect(document.documentElement.lang).toBe("en");
    expect(page.i18n.t("login.title")).toBe("Log in");
  });

  it("switches only once the German catalogues are in, and keeps the choice", async () => {
    const switching = setLanguage("de");
    // Still English until German has loaded: never a raw key.
    expect(i18n.t("nav.security")).toBe("Security");
    await switching;
    expect(i18n.t("nav.security")).toBe("Sicherheit");
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe("de");
    expect(document.documentElement.lang).toBe("de");
  });

  it("loads a feature's German catalogue on demand", async () => {
    await setLanguage("de");
    await i18n.loadNamespaces("mfa");
    expect(i18n.t("twoFactor.title", { ns: "mfa" })).toBe("Zwei-Faktor-Authentifizierung");
  });
});
