// The catalogues as data: German has exactly the English keys, no empty text, the same
// {{placeholders}} and <tags>, and the plural forms each language needs. A t() key that the
// English catalogues lack fails type-checking (lib/i18n.ts types t() from them) and, at run time,
// every test that uses it (testing/setup.ts).
import type { ResourceKey } from "i18next";
import { describe, expect, it } from "vitest";
import { i18n, LANGUAGES } from "../lib/i18n";

const files = import.meta.glob<ResourceKey>("./*/*.json", { eager: true, import: "default" });

/** language → namespace → {flat key: text}; a leaf that is not a string is kept as a problem. */
function catalogues() {
  const byLanguage = new Map<string, Map<string, Map<string, unknown>>>();
  for (const [path, catalogue] of Object.entries(files)) {
    const [, language = "", namespace = ""] = /^\.\/([^/]+)\/(.+)\.json$/.exec(path) ?? [];
    const flat = new Map<string, unknown>();
    const walk = (value: unknown, prefix: string) => {
      if (value && typeof value === "object" && !Array.isArray(value)) {
        for (const [key, inner] of Object.entries(value)) walk(inner, prefix ? `${prefix}.${key}` : key);
      } else {
        flat.set(prefix, value);
      }
    };
    walk(catalogue, "");
    if (!byLanguage.has(language)) byLanguage.set(language, new Map());
    byLanguage.get(language)?.set(namespace, flat);
  }
  return byLanguage;
}

const all = catalogues();
const english = all.get("en") ?? new Map<string, Map<string, unknown>>();
const namespaces = [...english.keys()].sort();
const placeholders = (text: unknown) => [...String(text).matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((match) => match[1]).sort();
const tags = (text: unknown) => [...String(text).matchAll(/<\/?(\w+)\s*\/?>/g)].map((match) => match[0]).sort();

describe("the catalogues", () => {
  it("are one per namespace for every language, and no other language", () => {
    expect([...all.keys()].sort()).toEqual([...LANGUAGES].sort());
    for (const language of LANGUAGES) expect([...(all.get(language)?.keys() ?? [])].sort()).toEqual(namespaces);
    expect(namespaces).toContain("common");
  });

  it.each(namespaces)("%s: German has exactly the English keys", (namespace) => {
    const en = [...(english.get(namespace)?.keys() ?? [])].sort();
    const de = [...(all.get("de")?.get(namespace)?.keys() ?? [])].sort();
    expect(de).toEqual(en);
    expect(en.length).toBeGreaterThan(0);
  });

  it.each(namespaces)("%s: every text is a string with words in it", (namespace) => {
    for (const language of LANGUAGES) {
      for (const [key, text] of all.get(language)?.get(namespace) ?? []) {
        expect(typeof text === "string" && text.trim() !== "", `${language}/${namespace}: ${key}`).toBe(true);
      }
    }
  });

  it.each(namespaces)("%s: both languages put in the same {{values}} and <tags>", (namespace) => {
    const de = all.get("de")?.get(namespace);
    for (const [key, text] of english.get(namespace) ?? []) {
      const german = de?.get(key);
      expect(placeholders(german), `${namespace}: ${key}`).toEqual(placeholders(text));
      expect(tags(german), `${namespace}: ${key}`).toEqual(tags(text));
    }
  });

  it.each(LANGUAGES)("%s has every plural form its language needs, and no others", (language) => {
    const needed = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
    for (const namespace of namespaces) {
      const keys = [...(all.get(language)?.get(namespace)?.keys() ?? [])];
      const plurals = new Map<string, string[]>();
      for (const key of keys) {
        const [, base, form] = /^(.+)_(zero|one|two|few|many|other)$/.exec(key) ?? [];
        if (base && form) plurals.set(base, [...(plurals.get(base) ?? []), form]);
      }
      for (const [base, forms] of plurals) expect(forms.sort(), `${language}/${namespace}: ${base}`).toEqual([...needed].sort());
    }
  });
});

describe("i18next with them", () => {
  it("fails a test that asks for a key the English catalogues lack", () => {
    // @ts-expect-error -- not a key: t() only takes the English catalogues' keys
    expect(() => i18n.t("login.no_such_key")).toThrow(/No English text for the key common:login.no_such_key/);
  });

  it("says German with its own plural and the value put in", async () => {
    await i18n.changeLanguage("de");
    expect(i18n.t("errors.tooManyAttemptsIn", { count: 1 })).toBe("Zu viele Versuche. Versuchen Sie es in 1 Sekunde erneut.");
    expect(i18n.t("errors.tooManyAttemptsIn", { count: 30 })).toBe("Zu viele Versuche. Versuchen Sie es in 30 Sekunden erneut.");
    expect(i18n.t("summaryMatching", { ns: "admin-users", count: 2, search: "ada", page: 1, pages: 1 })).toBe(
      "2 Benutzer für „ada“. Seite 1 von 1.",
    );
  });
});
