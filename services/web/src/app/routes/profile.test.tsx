import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ada, deferred, fakeApi } from "../../testing/fake-api";
import { defined } from "../../testing/defined";
import { recordDownloads } from "../../testing/fake-downloads";
import { mfaOff } from "../../testing/mfa-fixtures";
import { renderApp } from "../../testing/render-app";

const saved = recordDownloads();

const me = { ...ada, first_name: "Ada", last_name: "" };

describe("the profile page", () => {
  it("saves username and names, shows Saved. and updates the signed-in user", async () => {
    const reply = deferred();
    const server = fakeApi({ "GET /auth/me/": { status: 200, data: me }, "PATCH /auth/me/": () => reply.promise });
    const app = renderApp("/profile");
    expect(await screen.findByRole("heading", { name: "Profile" })).toBeInTheDocument();
    expect(screen.getByLabelText("Username")).toHaveValue("ada");
    expect(screen.getByLabelText("First name")).toHaveValue("Ada");
    expect(screen.getByLabelText("Last name")).toHaveValue("");
    await app.user.clear(screen.getByLabelText("Username"));
    await app.user.type(screen.getByLabelText("Username"), "countess");
    await app.user.type(screen.getByLabelText("Last name"), "Lovelace");
    await app.user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(screen.getByRole("button", { name: "Save changes" })).toBeDisabled();
    reply.resolve({ status: 200, data: { ...me, username: "countess", last_name: "Lovelace" } });
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Saved."));
    expect(server.callsTo("PATCH /auth/me/")[0]?.body).toEqual({
      username: "countess",
      first_name: "Ada",
      last_name: "Lovelace",
      language: "en",
    });
    // The auth context holds the new user: the dashboard shows it without asking me again.
    const meCalls = server.callsTo("GET /auth/me/").length;
    await app.user.click(within(screen.getByRole("navigation", { name: "Account" })).getByRole("link", { name: "Dashboard" }));
    expect(await screen.findByText("countess")).toBeInTheDocument();
    expect(server.callsTo("GET /auth/me/")).toHaveLength(meCalls);
  });

  it("saves the account's language with the rest, and the page follows it", async () => {
    const server = fakeApi({
      "GET /auth/me/": { status: 200, data: me },
      "PATCH /auth/me/": ({ body }) => ({
        status: 200,
        data: { ...me, username: body?.username, first_name: body?.first_name, last_name: body?.last_name, language: body?.language },
      }),
    });
    const app = renderApp("/profile");
    const language = within(await screen.findByRole("form", { name: "Profile" })).getByRole("combobox", { name: "Language" });
    expect(language).toHaveValue("en");
    expect(within(language).getAllByRole("option").map((option) => option.textContent)).toEqual(["English", "Deutsch"]);
    await app.user.selectOptions(language, "Deutsch");
    // Only saving changes it: choosing is part of the form.
    expect(screen.getByRole("heading", { name: "Profile" })).toBeInTheDocument();
    await app.user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByRole("heading", { name: "Profil" })).toBeInTheDocument();
    expect(server.callsTo("PATCH /auth/me/")[0]?.body).toEqual({ username: "ada", first_name: "Ada", last_name: "", language: "de" });
    expect(screen.getByRole("status")).toHaveTextContent("Gespeichert.");
    expect(within(screen.getByRole("banner")).getByRole("combobox")).toHaveValue("de");
  });

  it("shows the API's message for a language it refuses next to the field", async () => {
    fakeApi({
      "GET /auth/me/": { status: 200, data: me },
      "PATCH /auth/me/": {
        status: 400,
        data: { code: "validation_error", detail: "Some fields are invalid.", fields: { language: ["\"fr\" is not a valid choice."] } },
      },
    });
    const app = renderApp("/profile");
    const language = within(await screen.findByRole("form", { name: "Profile" })).getByRole("combobox", { name: "Language" });
    await app.user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(language).toHaveAttribute("aria-invalid", "true"));
    expect(language).toHaveAccessibleDescription('"fr" is not a valid choice.');
  });

  it("shows a taken username next to the field and keeps the input", async () => {
    fakeApi({
      "GET /auth/me/": { status: 200, data: me },
      "PATCH /auth/me/": {
        status: 400,
        data: { code: "validation_error", detail: "Some fields are invalid.", fields: { username: ["That username is taken."] } },
      },
    });
    const app = renderApp("/profile");
    const username = await screen.findByLabelText("Username");
    await app.user.clear(username);
    await app.user.type(username, "grace{Enter}");
    await waitFor(() => expect(username).toHaveAttribute("aria-invalid", "true"));
    expect(username).toHaveAccessibleDescription(/That username is taken\./);
    expect(username).toHaveValue("grace");
    expect(username).toHaveFocus();
    expect(screen.getByRole("alert")).toHaveTextContent("Some fields are invalid.");
    expect(screen.getByRole("status")).toHaveTextContent("");
  });

  it("downloads my data as account-data.json, confirming it's me first when the API asks", async () => {
    let fresh = false;
    const server = fakeApi({
      "GET /auth/me/": { status: 200, data: me },
      "GET /auth/mfa/": { status: 200, data: mfaOff },
      "GET /auth/mfa/webauthn/": { status: 200, data: [] },
      "GET /auth/me/export/": () =>
        fresh
          ? { status: 200, data: { user: me, security_log: [] } }
          : { status: 403, data: { code: "reauthentication_required", detail: "Reauthenticate first." } },
      "POST /auth/reauthenticate/": () => {
        fresh = true;
        return { status: 200, data: { reauthenticated_until: "2026-11-21T18:10:00Z" } };
      },
    });
    const app = renderApp("/profile");
    expect(await screen.findByRole("heading", { name: "Download my data" })).toBeInTheDocument();
    await app.user.click(screen.getByRole("button", { name: "Download my data" }));
    const dialog = await screen.findByRole("dialog", { name: "Confirm it's you" });
    await app.user.type(within(dialog).getByLabelText("Password"), "correct horse battery{Enter}");
    await waitFor(() => expect(saved.downloads).toHaveLength(1));
    expect(saved.downloads[0]?.download).toBe("account-data.json");
    expect(JSON.parse(await defined(saved.downloads[0]?.blob).text())).toEqual({ user: me, security_log: [] });
    expect(server.callsTo("GET /auth/me/export/")).toHaveLength(2);
  });
});
