import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { WebauthnCredential } from "../../../lib/api-types";
import { defined } from "../../../testing/defined";
import { attestation, creationOptions, fakeBrowser, notAllowed } from "../../../testing/fake-webauthn";
import { blueKey, laptopPasskey, mfaOff, recoveryCodes } from "../../../testing/mfa-fixtures";
import { formatDateTime } from "../../../lib/format";
import { renderMfaSettings } from "../../../testing/render-mfa-settings";

vi.mock("@simplewebauthn/browser", async () => (await import("../../../testing/fake-webauthn")).fakeBrowser);

function rowOf(name: string) {
  return defined(screen.getByRole("cell", { name }).closest("tr"), `the row of ${name}`);
}

/** A fake API that keeps a list of credentials and registers new ones into it. */
function credentialsApi(initial: WebauthnCredential[], { firstCodes = false } = {}) {
  let list = [...initial];
  return {
    "GET /auth/mfa/": () => ({ status: 200, data: { ...mfaOff, webauthn_credentials: list.length } }),
    "GET /auth/mfa/webauthn/": () => ({ status: 200, data: list }),
    "POST /auth/mfa/webauthn/register/begin/": { status: 200, data: { options: creationOptions } },
    "POST /auth/mfa/webauthn/register/": ({ body }: { body: Record<string, unknown> | null }) => {
      const added = { id: 10 + list.length, name: String(body?.name), passwordless: true, created_at: "2026-11-21T12:00:00Z", last_used_at: null };
      list = [...list, added];
      return { status: 201, data: { credential: added, recovery_codes: firstCodes ? recoveryCodes : [] } };
    },
  };
}

describe("the passkeys list", () => {
  it("shows each credential's name, kind, created and last used", async () => {
    renderMfaSettings({ "GET /auth/mfa/webauthn/": { status: 200, data: [laptopPasskey, blueKey] } });
    const table = await screen.findByRole("table");
    expect(within(table).getAllByRole("columnheader").map((th) => th.textContent).slice(0, 4)).toEqual(["Name", "Kind", "Created", "Last used"]);
    expect(within(rowOf("Work laptop")).getAllByRole("cell").map((td) => td.textContent).slice(0, 4)).toEqual([
      "Work laptop",
      "Passkey",
      formatDateTime(laptopPasskey.created_at),
      formatDateTime(laptopPasskey.last_used_at),
    ]);
    expect(within(rowOf("Blue key")).getAllByRole("cell").map((td) => td.textContent).slice(1, 4)).toEqual([
      "Security key",
      formatDateTime(blueKey.created_at),
      "Never",
    ]);
  });

  it("says when there are none", async () => {
    renderMfaSettings();
    expect(await screen.findByText("You have no passkeys or security keys yet.")).toBeInTheDocument();
  });
});

describe("adding a passkey or security key", () => {
  it("adds a passkey: begin {passwordless: true}, the browser's create, then {name, credential}", async () => {
    fakeBrowser.startRegistration.mockResolvedValue(attestation);
    const { user, server } = renderMfaSettings(credentialsApi([blueKey]));
    await screen.findByRole("table");
    await user.type(screen.getByLabelText("Passkey name"), " Phone ");
    await user.click(screen.getByRole("button", { name: "Add a passkey" }));
    expect(await screen.findByRole("cell", { name: "Phone" })).toBeInTheDocument();
    expect(screen.getByText("Added passkey “Phone”.")).toBeInTheDocument();
    expect(server.callsTo("POST /auth/mfa/webauthn/register/begin/")[0]?.body).toEqual({ passwordless: true });
    expect(fakeBrowser.startRegistration).toHaveBeenCalledWith({ optionsJSON: creationOptions });
    expect(server.callsTo("POST /auth/mfa/webauthn/register/")[0]?.body).toEqual({ name: "Phone", credential: attestation });
    expect(screen.getByLabelText("Passkey name")).toHaveValue("");
    // Not the first factor: no recovery codes to show.
    expect(screen.queryByRole("list", { name: "Recovery codes" })).not.toBeInTheDocument();
  });

  it("adds a security key as a second factor, named by its kind when left blank", async () => {
    fakeBrowser.startRegistration.mockResolvedValue(attestation);
    const { user, server } = renderMfaSettings(credentialsApi([]));
    await user.click(await screen.findByRole("button", { name: "Add a security key" }));
    await waitFor(() => expect(server.callsTo("POST /auth/mfa/webauthn/register/")).toHaveLength(1));
    expect(server.callsTo("POST /auth/mfa/webauthn/register/begin/")[0]?.body).toEqual({ passwordless: false });
    expect(server.callsTo("POST /auth/mfa/webauthn/register/")[0]?.body).toEqual({ name: "Security key", credential: attestation });
  });

  it("shows the recovery codes once when this is the account's first factor", async () => {
    fakeBrowser.startRegistration.mockResolvedValue(attestation);
    const { user } = renderMfaSettings(credentialsApi([], { firstCodes: true }));
    await user.type(await screen.findByLabelText("Passkey name"), "Phone{Enter}");
    const list = await screen.findByRole("list", { name: "Recovery codes" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(10);
    expect(screen.getByRole("button", { name: "Download codes" })).toBeInTheDocument();
    // The status is read again: with a factor there are recovery codes to manage now.
    expect(await screen.findByRole("button", { name: "Regenerate recovery codes" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "I have saved them" }));
    expect(screen.queryByRole("list", { name: "Recovery codes" })).not.toBeInTheDocument();
  });

  it("stays calm when the browser prompt is closed, and registers nothing", async () => {
    fakeBrowser.startRegistration.mockRejectedValue(notAllowed());
    const { user, server } = renderMfaSettings(credentialsApi([]));
    await user.type(await screen.findByLabelText("Passkey name"), "Phone");
    await user.click(screen.getByRole("button", { name: "Add a passkey" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The passkey or security key request was cancelled or timed out. You can try again.");
    expect(server.callsTo("POST /auth/mfa/webauthn/register/")).toHaveLength(0);
    expect(screen.getByLabelText("Passkey name")).toHaveValue("Phone");
  });

  it("says when the authenticator is already registered, and when the API refuses it", async () => {
    fakeBrowser.startRegistration.mockRejectedValueOnce(Object.assign(new Error("x"), { name: "InvalidStateError" }));
    const { user } = renderMfaSettings({
      ...credentialsApi([]),
      "POST /auth/mfa/webauthn/register/": { status: 400, data: { code: "invalid_credential", detail: "x" } },
    });
    await user.click(await screen.findByRole("button", { name: "Add a security key" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("already registered to your account");
    fakeBrowser.startRegistration.mockResolvedValueOnce(attestation);
    await user.click(screen.getByRole("button", { name: "Add a security key" }));
    await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent("That passkey or security key was not accepted."));
  });
});

describe("renaming and removing", () => {
  it("renames in place with PATCH {name}", async () => {
    const { user, server } = renderMfaSettings({
      "GET /auth/mfa/webauthn/": { status: 200, data: [laptopPasskey, blueKey] },
      "PATCH /auth/mfa/webauthn/4/": ({ body }) => ({ status: 200, data: { ...blueKey, ...body } }),
    });
    await screen.findByRole("table");
    await user.click(screen.getByRole("button", { name: "Rename Blue key" }));
    const field = screen.getByLabelText("New name");
    expect(field).toHaveValue("Blue key");
    expect(field).toHaveFocus();
    await user.clear(field);
    await user.type(field, "Red key{Enter}");
    expect(await screen.findByRole("cell", { name: "Red key" })).toBeInTheDocument();
    expect(server.callsTo("PATCH /auth/mfa/webauthn/4/")[0]?.body).toEqual({ name: "Red key" });
    expect(screen.getByRole("button", { name: "Rename Red key" })).toBeInTheDocument();
  });

  it("shows a refused name next to the field", async () => {
    const { user } = renderMfaSettings({
      "GET /auth/mfa/webauthn/": { status: 200, data: [blueKey] },
      "PATCH /auth/mfa/webauthn/4/": {
        status: 400,
        data: { code: "validation_error", detail: "Some fields are invalid.", fields: { name: ["This field may not be blank."] } },
      },
    });
    await user.click(await screen.findByRole("button", { name: "Rename Blue key" }));
    const field = screen.getByLabelText("New name");
    await user.clear(field);
    await user.type(field, "{Enter}");
    await waitFor(() => expect(field).toHaveAccessibleDescription("This field may not be blank."));
  });

  it("removes after a confirmation, with DELETE", async () => {
    let list = [laptopPasskey, blueKey];
    const { user, server } = renderMfaSettings({
      "GET /auth/mfa/webauthn/": () => ({ status: 200, data: list }),
      "DELETE /auth/mfa/webauthn/3/": () => {
        list = [blueKey];
        return { status: 204 };
      },
    });
    await screen.findByRole("table");
    await user.click(screen.getByRole("button", { name: "Remove Work laptop" }));
    const ask = screen.getByRole("group", { name: "Remove Work laptop?" });
    expect(within(ask).getByRole("button", { name: "Yes, remove" })).toHaveFocus();
    await user.click(within(ask).getByRole("button", { name: "Keep it" }));
    expect(server.callsTo("DELETE /auth/mfa/webauthn/3/")).toHaveLength(0);
    await user.click(screen.getByRole("button", { name: "Remove Work laptop" }));
    await user.click(screen.getByRole("button", { name: "Yes, remove" }));
    await waitFor(() => expect(screen.queryByRole("cell", { name: "Work laptop" })).not.toBeInTheDocument());
    expect(server.callsTo("DELETE /auth/mfa/webauthn/3/")).toHaveLength(1);
    expect(screen.getByText("Removed “Work laptop”.")).toBeInTheDocument();
  });

  it("keeps the row and says why when a removal fails", async () => {
    const { user } = renderMfaSettings({
      "GET /auth/mfa/webauthn/": { status: 200, data: [blueKey] },
      "DELETE /auth/mfa/webauthn/4/": { status: 503, data: { code: "service_unavailable", detail: "The service is unavailable. Try again shortly." } },
    });
    await user.click(await screen.findByRole("button", { name: "Remove Blue key" }));
    await user.click(screen.getByRole("button", { name: "Yes, remove" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The service is unavailable. Try again shortly.");
    expect(screen.getByRole("cell", { name: "Blue key" })).toBeInTheDocument();
  });
});
