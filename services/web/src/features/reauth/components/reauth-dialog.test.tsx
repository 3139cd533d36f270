import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { fakeApi, type FakeRoute } from "../../../testing/fake-api";
import { assertion, fakeBrowser, notAllowed, requestOptions } from "../../../testing/fake-webauthn";
import { ReauthDialog, type ReauthMethods } from "./reauth-dialog";

vi.mock("@simplewebauthn/browser", async () => (await import("../../../testing/fake-webauthn")).fakeBrowser);

const ok = { status: 200, data: { reauthenticated_until: "2026-11-21T18:10:00Z" } };

function renderDialog(methods: ReauthMethods, routes: Record<string, FakeRoute> = {}) {
  document.cookie = "csrftoken=abc; path=/";
  const server = fakeApi(routes);
  const onConfirmed = vi.fn();
  const onCancel = vi.fn();
  const user = userEvent.setup();
  render(<ReauthDialog methods={methods} onConfirmed={onConfirmed} onCancel={onCancel} />);
  return { server, onConfirmed, onCancel, user, dialog: screen.getByRole("dialog", { name: "Confirm it's you" }) };
}

describe("ReauthDialog", () => {
  it("asks for the password only when that is all the account has", () => {
    renderDialog({ totp: false, passkey: false });
    expect(screen.getByLabelText("Password")).toHaveFocus();
    expect(screen.queryByLabelText("Authentication code")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Use a passkey" })).not.toBeInTheDocument();
  });

  it("confirms with {password}", async () => {
    const { user, server, onConfirmed } = renderDialog({ totp: true, passkey: false }, { "POST /auth/reauthenticate/": ok });
    await user.type(screen.getByLabelText("Password"), "correct horse battery");
    await user.click(screen.getByRole("button", { name: "Confirm" }));
    await waitFor(() => expect(onConfirmed).toHaveBeenCalledTimes(1));
    expect(server.callsTo("POST /auth/reauthenticate/")[0]?.body).toEqual({ password: "correct horse battery" });
  });

  it("confirms with {code} from the authenticator app instead", async () => {
    const { user, server, onConfirmed } = renderDialog({ totp: true, passkey: false }, { "POST /auth/reauthenticate/": ok });
    const code = screen.getByLabelText("Authentication code");
    expect(code).toHaveAttribute("autocomplete", "one-time-code");
    await user.type(code, "123 456{Enter}");
    await waitFor(() => expect(onConfirmed).toHaveBeenCalledTimes(1));
    expect(server.callsTo("POST /auth/reauthenticate/")[0]?.body).toEqual({ code: "123456" });
  });

  it("puts a wrong password or code next to its field and stays open", async () => {
    let answer = { status: 400, data: { code: "invalid_password", detail: "The password is not correct." } };
    const { user, onConfirmed } = renderDialog({ totp: true, passkey: false }, { "POST /auth/reauthenticate/": () => answer });
    const password = screen.getByLabelText("Password");
    await user.type(password, "wrong{Enter}");
    await waitFor(() => expect(password).toHaveAccessibleDescription("The password is not correct."));
    expect(password).toHaveFocus();
    await user.clear(password);
    answer = { status: 400, data: { code: "invalid_code", detail: "x" } };
    const code = screen.getByLabelText("Authentication code");
    await user.type(code, "000000{Enter}");
    await waitFor(() => expect(code).toHaveAttribute("aria-invalid", "true"));
    expect(password).not.toHaveAttribute("aria-invalid");
    expect(onConfirmed).not.toHaveBeenCalled();
  });

  it("confirms with a passkey: begin, the browser's prompt, then {credential}", async () => {
    fakeBrowser.startAuthentication.mockResolvedValue(assertion);
    const { user, server, onConfirmed } = renderDialog({ totp: false, passkey: true }, {
      "POST /auth/reauthenticate/webauthn/begin/": { status: 200, data: { options: requestOptions } },
      "POST /auth/reauthenticate/": ok,
    });
    await user.click(screen.getByRole("button", { name: "Use a passkey" }));
    await waitFor(() => expect(onConfirmed).toHaveBeenCalledTimes(1));
    expect(fakeBrowser.startAuthentication).toHaveBeenCalledWith({ optionsJSON: requestOptions });
    expect(server.callsTo("POST /auth/reauthenticate/")[0]?.body).toEqual({ credential: assertion });
  });

  it("stays open, calmly, when the passkey prompt is closed", async () => {
    fakeBrowser.startAuthentication.mockRejectedValue(notAllowed());
    const { user, server, onConfirmed, onCancel } = renderDialog({ totp: false, passkey: true }, {
      "POST /auth/reauthenticate/webauthn/begin/": { status: 200, data: { options: requestOptions } },
    });
    await user.click(screen.getByRole("button", { name: "Use a passkey" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("cancelled or timed out");
    expect(server.callsTo("POST /auth/reauthenticate/")).toHaveLength(0);
    expect(onConfirmed).not.toHaveBeenCalled();
    expect(onCancel).not.toHaveBeenCalled();
  });

  it("cancels with its button or Escape", async () => {
    const { user, onCancel } = renderDialog({ totp: false, passkey: false });
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    await user.keyboard("{Escape}");
    expect(onCancel).toHaveBeenCalledTimes(2);
  });
});
