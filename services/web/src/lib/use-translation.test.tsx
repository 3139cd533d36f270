import { act, render, renderHook, screen } from "@testing-library/react";
import { Suspense } from "react";
import { describe, expect, it, vi } from "vitest";
import { i18n } from "./i18n";
import { useTranslation } from "./use-translation";

function NavSecurity() {
  const { t } = useTranslation("common", { keyPrefix: "nav" });
  return <p>{t("security")}</p>;
}

describe("useTranslation", () => {
  it("gives t() of the namespace under its key prefix, `common` when none is named, and the instance", () => {
    const prefixed = renderHook(() => useTranslation("mfa", { keyPrefix: "twoFactor" }));
    expect(prefixed.result.current.t("title")).toBe("Two-factor authentication");
    expect(prefixed.result.current.i18n).toBe(i18n);
    const plain = renderHook(() => useTranslation());
    expect(plain.result.current.t("tryAgain")).toBe("Try again");
    expect(plain.result.current.t("errors.tooManyAttemptsIn", { count: 3 })).toBe(
      "Too many attempts. Try again in 3 seconds.",
    );
  });

  it("renders again, with a new t(), when the language changes", async () => {
    // German is in before the hook renders: only the switch itself can make it render again.
    await i18n.loadLanguages("de");
    const seen = new Set<unknown>();
    const { result } = renderHook(() => {
      const translation = useTranslation("common", { keyPrefix: "nav" });
      seen.add(translation.t);
      return translation;
    });
    expect(result.current.t("security")).toBe("Security");
    await act(() => i18n.changeLanguage("de"));
    expect(result.current.t("security")).toBe("Sicherheit");
    expect(seen.size).toBe(2);
  });

  it("keeps the same t() while nothing changes", () => {
    const { result, rerender } = renderHook(() => useTranslation("common", { keyPrefix: "nav" }));
    const first = result.current.t;
    rerender();
    expect(result.current.t).toBe(first);
  });

  it("renders again when a catalogue is added", () => {
    render(<NavSecurity />);
    expect(screen.getByText("Security")).toBeInTheDocument();
    act(() => {
      i18n.addResourceBundle("en", "common", { nav: { security: "Safety" } }, true, true);
    });
    try {
      expect(screen.getByText("Safety")).toBeInTheDocument();
    } finally {
      act(() => {
        i18n.addResourceBundle("en", "common", { nav: { security: "Security" } }, true, true);
      });
    }
    expect(screen.getByText("Security")).toBeInTheDocument();
  });

  it("fails a test that asks for a key the English catalogues lack", () => {
    const { result } = renderHook(() => useTranslation("common", { keyPrefix: "login" }));
    // @ts-expect-error -- not a key: t() only takes the English catalogues' keys
    expect(() => result.current.t("no_such_key")).toThrow(/No English text for the key common:login.no_such_key/);
  });
});

describe("useTranslation on a page load", () => {
  /** lib/i18n.ts and the hook as a page load finds them: only the English `common` bundled. */
  async function startPage() {
    vi.resetModules();
    const page = await import("./i18n");
    const hook = await import("./use-translation");
    await page.initI18n();
    return { ...page, useTranslation: hook.useTranslation };
  }

  it("suspends while a namespace loads, then shows it and switches it with the language", async () => {
    const page = await startPage();
    function TwoFactorTitle() {
      const { t } = page.useTranslation("mfa", { keyPrefix: "twoFactor" });
      return <h2>{t("title")}</h2>;
    }
    expect(page.i18n.hasLoadedNamespace("mfa")).toBe(false);
    render(
      <Suspense fallback={<p>Waiting</p>}>
        <TwoFactorTitle />
      </Suspense>,
    );
    expect(screen.getByText("Waiting")).toBeInTheDocument();
    expect(await screen.findByRole("heading", { name: "Two-factor authentication" })).toBeInTheDocument();

    // The namespace is now one that a switch loads before it switches: no wait, no raw key.
    await act(() => page.setLanguage("de"));
    expect(screen.getByRole("heading", { name: "Zwei-Faktor-Authentifizierung" })).toBeInTheDocument();
    expect(screen.queryByText("Waiting")).not.toBeInTheDocument();
    await act(() => page.setLanguage("en"));
  });
});
