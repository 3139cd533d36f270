import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { i18n, initialLanguage, LANGUAGE_STORAGE_KEY } from "../lib/i18n";
import { ada, fakeApi } from "../testing/fake-api";
import { renderApp } from "../testing/render-app";

const languageSelect = () => within(screen.getByRole("banner")).getByRole("combobox");

describe("the header's language switch", () => {
  it("puts the login page in German at once, on <html> and for the next visit", async () => {
    const server = fakeApi();
    const app = renderApp("/login");
    await screen.findByRole("heading", { name: "Log in" });
    expect(languageSelect()).toHaveAccessibleName("Language");
    expect(languageSelect()).toHaveValue("en");

    await app.user.selectOptions(languageSelect(), "Deutsch");
    // While German loads the page stays English: it is never a raw key.
    expect(screen.getByRole("heading", { level: 1 }).textContent).toMatch(/^(Log in|Anmelden)$/);
    expect(await screen.findByRole("heading", { name: "Anmelden" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Anmelden" })).toBeInTheDocument();
    expect(screen.getByLabelText("E-Mail-Adresse oder Benutzername")).toBeInTheDocument();
    expect(languageSelect()).toHaveAccessibleName("Sprache");
    expect(languageSelect()).toHaveValue("de");
    expect(document.documentElement.lang).toBe("de");
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe("de");
    // Nobody is signed in: there is no account to tell.
    expect(server.callsTo("PATCH /auth/me/")).toHaveLength(0);

    // A reload: a new page starts from what was kept, not from the last page's state.
    app.unmount();
    await act(() => i18n.changeLanguage("en"));
    await act(() => i18n.changeLanguage(initialLanguage()));
    renderApp("/login");
    expect(await screen.findByRole("heading", { name: "Anmelden" })).toBeInTheDocument();
    expect(languageSelect()).toHaveValue("de");
  });

  it("switches back to English", async () => {
    fakeApi();
    const app = renderApp("/login");
    await app.user.selectOptions(await screen.findByRole("combobox", { name: "Language" }), "Deutsch");
    await app.user.selectOptions(await screen.findByRole("combobox", { name: "Sprache" }), "English");
    expect(await screen.findByRole("heading", { name: "Log in" })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe("en");
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe("en");
  });

  it("signed in, saves the language to the account too", async () => {
    const server = fakeApi({
      "GET /auth/me/": { status: 200, data: ada },
      "PATCH /auth/me/": ({ body }) => ({ status: 200, data: { ...ada, ...body } }),
    });
    const app = renderApp("/dashboard");
    await screen.findByRole("heading", { name: "Dashboard" });
    await app.user.selectOptions(languageSelect(), "Deutsch");
    expect(await screen.findByRole("heading", { name: "Übersicht" })).toBeInTheDocument();
    await waitFor(() => expect(server.callsTo("PATCH /auth/me/")).toHaveLength(1));
    expect(server.callsTo("PATCH /auth/me/")[0]?.body).toEqual({ language: "de" });
    expect(server.callsTo("PATCH /auth/me/")[0]?.headers["Accept-Language"]).toBe("de");
    expect(within(screen.getByRole("navigation", { name: "Konto" })).getByRole("link", { name: "Profil" })).toBeInTheDocument();
  });

  it("signed in, keeps the page in the new language when the account cannot be told, and says nothing", async () => {
    const server = fakeApi({
      "GET /auth/me/": { status: 200, data: ada },
      "PATCH /auth/me/": { status: 503, data: { code: "service_unavailable", detail: "Down." } },
    });
    const app = renderApp("/dashboard");
    await screen.findByRole("heading", { name: "Dashboard" });
    await app.user.selectOptions(languageSelect(), "Deutsch");
    await waitFor(() => expect(server.callsTo("PATCH /auth/me/")).toHaveLength(1));
    expect(await screen.findByRole("heading", { name: "Übersicht" })).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(languageSelect()).toHaveValue("de");
  });
});

describe("the account's language", () => {
  it("puts the page in German when the session's account is German", async () => {
    fakeApi({ "GET /auth/me/": { status: 200, data: { ...ada, language: "de" } } });
    renderApp("/dashboard");
    expect(await screen.findByRole("heading", { name: "Übersicht" })).toBeInTheDocument();
    expect(screen.getByText("E-Mail-Adresse bestätigt")).toBeInTheDocument();
    expect(document.documentElement.lang).toBe("de");
    expect(languageSelect()).toHaveValue("de");
  });

  it("takes over when a German account signs in on an English page", async () => {
    fakeApi({ "POST /auth/login/": { status: 200, data: { expiry: "2026-11-22T04:00:00Z", user: { ...ada, language: "de" } } } });
    const app = renderApp("/login");
    await app.user.type(await screen.findByLabelText("Email or username"), "ada");
    await app.user.type(screen.getByLabelText("Password"), "correct horse battery{Enter}");
    expect(await screen.findByRole("heading", { name: "Übersicht" })).toBeInTheDocument();
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe("de");
  });

  it("leaves the page alone for an account from an API without languages", async () => {
    fakeApi({ "GET /auth/me/": { status: 200, data: { ...ada, language: undefined } } });
    renderApp("/dashboard");
    expect(await screen.findByRole("heading", { name: "Dashboard" })).toBeInTheDocument();
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBeNull();
  });
});
