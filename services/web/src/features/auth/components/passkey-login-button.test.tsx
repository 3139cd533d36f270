import { screen, waitFor } from "@testing-library/react";
import { Route } from "react-router-dom";
import { describe, expect, it, vi } from "vitest";
import { ada, fakeApi, type FakeRoute } from "../../../testing/fake-api";
import { assertion, fakeBrowser, notAllowed, requestOptions } from "../../../testing/fake-webauthn";
import { renderRoutes } from "../../../testing/render-routes";
import { PasskeyLoginButton } from "./passkey-login-button";

vi.mock("@simplewebauthn/browser", async () => (await import("../../../testing/fake-webauthn")).fakeBrowser);

const begin = { "POST /auth/login/passkey/begin/": { status: 200, data: { options: requestOptions } } };

async function renderButton(routes: Record<string, FakeRoute>) {
  const server = fakeApi({ ...begin, ...routes });
  const onSuccess = vi.fn();
  const app = renderRoutes(<Route path="/login" element={<PasskeyLoginButton onSuccess={onSuccess} />} />, "/login");
  await waitFor(() => expect(app.signedIn()).toBe("anonymous"));
  return { ...app, server, onSuccess };
}

describe("PasskeyLoginButton", () => {
  it("signs in with the browser's passkey, without a name or password", async () => {
    fakeBrowser.startAuthentication.mockResolvedValue(assertion);
    const { user, server, onSuccess, signedIn } = await renderButton({
      "POST /auth/login/passkey/": { status: 200, data: { expiry: "2026-11-22T04:00:00Z", user: ada } },
    });
    await user.click(screen.getByRole("button", { name: "Sign in with a passkey" }));
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith(ada));
    expect(signedIn()).toBe("ada@example.com");
    expect(server.callsTo("POST /auth/login/passkey/begin/")[0]?.body).toBeNull();
    expect(fakeBrowser.startAuthentication).toHaveBeenCalledWith({ optionsJSON: requestOptions });
    expect(server.callsTo("POST /auth/login/passkey/")[0]?.body).toEqual({ credential: assertion });
  });

  it("says calmly that the prompt was closed, and can be tried again", async () => {
    fakeBrowser.startAuthentication.mockRejectedValueOnce(notAllowed()).mockResolvedValueOnce(assertion);
    const { user, server, onSuccess } = await renderButton({
      "POST /auth/login/passkey/": { status: 200, data: { expiry: "2026-11-22T04:00:00Z", user: ada } },
    });
    await user.click(screen.getByRole("button", { name: "Sign in with a passkey" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The passkey or security key request was cancelled or timed out. You can try again.");
    expect(server.callsTo("POST /auth/login/passkey/")).toHaveLength(0);
    await user.click(screen.getByRole("button", { name: "Sign in with a passkey" }));
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith(ada));
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows a refused passkey", async () => {
    fakeBrowser.startAuthentication.mockResolvedValue(assertion);
    const { user, onSuccess, signedIn } = await renderButton({
      "POST /auth/login/passkey/": { status: 400, data: { code: "invalid_credential", detail: "x" } },
    });
    await user.click(screen.getByRole("button", { name: "Sign in with a passkey" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("That passkey or security key was not accepted.");
    expect(onSuccess).not.toHaveBeenCalled();
    expect(signedIn()).toBe("anonymous");
  });

  it("says so when the browser cannot use passkeys", async () => {
    fakeBrowser.browserSupportsWebAuthn.mockReturnValue(false);
    const { user, server } = await renderButton({});
    await user.click(screen.getByRole("button", { name: "Sign in with a passkey" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("This browser cannot use passkeys or security keys.");
    expect(fakeBrowser.startAuthentication).not.toHaveBeenCalled();
    expect(server.callsTo("POST /auth/login/passkey/")).toHaveLength(0);
  });
});
