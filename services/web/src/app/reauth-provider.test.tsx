import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ada, fakeApi, type FakeResponse, type FakeRoute } from "../testing/fake-api";
import { assertion, fakeBrowser, requestOptions } from "../testing/fake-webauthn";
import { mfaOff, mfaOn } from "../testing/mfa-fixtures";
import { renderApp } from "../testing/render-app";

vi.mock("@simplewebauthn/browser", async () => (await import("../testing/fake-webauthn")).fakeBrowser);

const sudo: FakeResponse = { status: 403, data: { code: "reauthentication_required", detail: "Reauthenticate first." } };
const changed: FakeResponse = { status: 200, data: { detail: "Your password has been changed." } };
const reauthenticated: FakeResponse = { status: 200, data: { reauthenticated_until: "2026-11-21T18:10:00Z" } };

/** The password change answers 403 until POST reauthenticate/ succeeded, like the API. */
function sudoApi(routes: Record<string, FakeRoute> = {}, mfa = mfaOff) {
  let fresh = false;
  return fakeApi({
    "GET /auth/me/": { status: 200, data: ada },
    "GET /auth/sessions/": { status: 200, data: [] },
    "GET /auth/mfa/": { status: 200, data: mfa },
    "GET /auth/mfa/webauthn/": { status: 200, data: [] },
    "POST /auth/password/change/": () => (fresh ? changed : sudo),
    "POST /auth/reauthenticate/": ({ body }) => {
      if (body?.password === "wrong") return { status: 400, data: { code: "invalid_password", detail: "The password is not correct." } };
      fresh = true;
      return reauthenticated;
    },
    ...routes,
  });
}

async function changePassword(app: ReturnType<typeof renderApp>) {
  const form = await screen.findByRole("form", { name: "Change password" });
  await app.user.type(within(form).getByLabelText("Current password"), "old passphrase here");
  await app.user.type(within(form).getByLabelText("New password"), "new passphrase here");
  await app.user.click(within(form).getByRole("button", { name: "Change password" }));
  return form;
}

describe("reauthentication", () => {
  it("opens 'Confirm it's you' on reauthentication_required, then sends the change again once", async () => {
    const server = sudoApi();
    const app = renderApp("/security");
    const form = await changePassword(app);
    const dialog = await screen.findByRole("dialog", { name: "Confirm it's you" });
    expect(dialog).toHaveAttribute("aria-modal", "true");
    const password = within(dialog).getByLabelText("Password");
    expect(password).toHaveFocus();
    // The account has no app and no passkey: the password only.
    expect(within(dialog).queryByLabelText("Authentication code")).not.toBeInTheDocument();
    expect(within(dialog).queryByRole("button", { name: "Use a passkey" })).not.toBeInTheDocument();

    await app.user.type(password, "correct horse battery");
    await app.user.click(within(dialog).getByRole("button", { name: "Confirm" }));
    await waitFor(() => expect(within(form).getByRole("status")).toHaveTextContent("Your password has been changed."));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(server.callsTo("POST /auth/reauthenticate/").map((call) => call.body)).toEqual([{ password: "correct horse battery" }]);
    const changes = server.callsTo("POST /auth/password/change/");
    expect(changes).toHaveLength(2);
    expect(changes[1]?.body).toEqual({ current_password: "old passphrase here", new_password: "new passphrase here" });
    // Focus is back where the user was.
    await waitFor(() => expect(within(form).getByRole("button", { name: "Change password" })).toHaveFocus());
  });

  it("keeps the dialog up after a wrong password, and goes on after the right one", async () => {
    const server = sudoApi();
    const app = renderApp("/security");
    const form = await changePassword(app);
    const dialog = await screen.findByRole("dialog", { name: "Confirm it's you" });
    const password = within(dialog).getByLabelText("Password");
    await app.user.type(password, "wrong{Enter}");
    await waitFor(() => expect(password).toHaveAccessibleDescription("The password is not correct."));
    expect(server.callsTo("POST /auth/password/change/")).toHaveLength(1);
    await app.user.clear(password);
    await app.user.type(password, "correct horse battery{Enter}");
    await waitFor(() => expect(within(form).getByRole("status")).toHaveTextContent("Your password has been changed."));
  });

  it("on Escape closes, sends nothing more, and the form says what happened", async () => {
    const server = sudoApi();
    const app = renderApp("/security");
    const form = await changePassword(app);
    await screen.findByRole("dialog", { name: "Confirm it's you" });
    await app.user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    const alert = await within(form).findByRole("alert");
    expect(alert).toHaveTextContent("For your security, confirm it's you before making this change. Try again and confirm when asked.");
    expect(alert).toHaveFocus();
    expect(server.callsTo("POST /auth/password/change/")).toHaveLength(1);
    expect(server.callsTo("POST /auth/reauthenticate/")).toHaveLength(0);
    // What was typed is still there for the next try.
    expect(within(form).getByLabelText("New password")).toHaveValue("new passphrase here");
  });

  it("cancels with its Cancel button too", async () => {
    sudoApi();
    const app = renderApp("/security");
    const form = await changePassword(app);
    const dialog = await screen.findByRole("dialog", { name: "Confirm it's you" });
    await app.user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("confirm it's you");
  });

  it("asks for an authentication code when the account has the app, and a passkey when it has one", async () => {
    const server = sudoApi({}, { ...mfaOn, webauthn_credentials: 1 });
    const app = renderApp("/security");
    const form = await changePassword(app);
    const dialog = await screen.findByRole("dialog", { name: "Confirm it's you" });
    expect(within(dialog).getByRole("button", { name: "Use a passkey" })).toBeInTheDocument();
    await app.user.type(within(dialog).getByLabelText("Authentication code"), "123456{Enter}");
    await waitFor(() => expect(within(form).getByRole("status")).toHaveTextContent("Your password has been changed."));
    expect(server.callsTo("POST /auth/reauthenticate/")[0]?.body).toEqual({ code: "123456" });
  });

  it("confirms with a passkey", async () => {
    fakeBrowser.startAuthentication.mockResolvedValue(assertion);
    const server = sudoApi(
      { "POST /auth/reauthenticate/webauthn/begin/": { status: 200, data: { options: requestOptions } } },
      { ...mfaOff, webauthn_credentials: 2 },
    );
    const app = renderApp("/security");
    const form = await changePassword(app);
    const dialog = await screen.findByRole("dialog", { name: "Confirm it's you" });
    await app.user.click(within(dialog).getByRole("button", { name: "Use a passkey" }));
    await waitFor(() => expect(within(form).getByRole("status")).toHaveTextContent("Your password has been changed."));
    expect(server.callsTo("POST /auth/reauthenticate/")[0]?.body).toEqual({ credential: assertion });
  });

  it("retries once only: a second refusal is shown, not asked again", async () => {
    const server = sudoApi({ "POST /auth/password/change/": sudo });
    const app = renderApp("/security");
    const form = await changePassword(app);
    const dialog = await screen.findByRole("dialog", { name: "Confirm it's you" });
    await app.user.type(within(dialog).getByLabelText("Password"), "correct horse battery{Enter}");
    expect(await within(form).findByRole("alert")).toHaveTextContent("confirm it's you");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(server.callsTo("POST /auth/password/change/")).toHaveLength(2);
    expect(server.callsTo("POST /auth/reauthenticate/")).toHaveLength(1);
  });

  it("covers the other sensitive actions too, e.g. removing a passkey", async () => {
    let fresh = false;
    let list = [{ id: 3, name: "Work laptop", passwordless: true, created_at: "2026-11-20T09:00:00Z", last_used_at: null }];
    const server = sudoApi({
      "GET /auth/mfa/webauthn/": () => ({ status: 200, data: list }),
      "DELETE /auth/mfa/webauthn/3/": () => {
        if (!fresh) return sudo;
        list = [];
        return { status: 204 };
      },
      "POST /auth/reauthenticate/": () => {
        fresh = true;
        return reauthenticated;
      },
    });
    const app = renderApp("/security");
    await app.user.click(await screen.findByRole("button", { name: "Remove Work laptop" }));
    await app.user.click(screen.getByRole("button", { name: "Yes, remove" }));
    const dialog = await screen.findByRole("dialog", { name: "Confirm it's you" });
    await app.user.type(within(dialog).getByLabelText("Password"), "correct horse battery{Enter}");
    expect(await screen.findByText("You have no passkeys or security keys yet.")).toBeInTheDocument();
    expect(server.callsTo("DELETE /auth/mfa/webauthn/3/")).toHaveLength(2);
  });
});
