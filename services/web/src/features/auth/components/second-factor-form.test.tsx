import { screen, waitFor } from "@testing-library/react";
import { Route } from "react-router-dom";
import { describe, expect, it, vi } from "vitest";
import type { MfaMethod } from "../../../lib/api-types";
import { ada, deferred, fakeApi, type FakeRoute } from "../../../testing/fake-api";
import { assertion, fakeBrowser, notAllowed, requestOptions } from "../../../testing/fake-webauthn";
import { renderRoutes } from "../../../testing/render-routes";
import { SecondFactorForm } from "./second-factor-form";

vi.mock("@simplewebauthn/browser", async () => (await import("../../../testing/fake-webauthn")).fakeBrowser);

const challenge = "k".repeat(43);
const session = { status: 200, data: { expiry: "2026-11-22T04:00:00Z", user: ada } };
const wrongCode = { status: 400, data: { code: "invalid_code", detail: "The code is not valid." } };
const deadChallenge = { status: 400, data: { code: "invalid_challenge", detail: "Log in again." } };

async function renderStep(methods: MfaMethod[], routes: Record<string, FakeRoute>) {
  const server = fakeApi(routes);
  const onSuccess = vi.fn();
  const onRestart = vi.fn();
  const app = renderRoutes(
    <Route path="/login/verify" element={<SecondFactorForm mfa={{ challenge, methods }} onSuccess={onSuccess} onRestart={onRestart} />} />,
    "/login/verify",
  );
  await waitFor(() => expect(app.signedIn()).toBe("anonymous"));
  return { ...app, server, onSuccess, onRestart };
}

describe("SecondFactorForm", () => {
  it("asks for the app's code (a numeric one-time code) and signs in with {challenge, code}", async () => {
    const reply = deferred();
    const { user, server, onSuccess, signedIn } = await renderStep(["totp", "recovery_code"], { "POST /auth/login/mfa/": () => reply.promise });
    const field = screen.getByLabelText("Authentication code");
    expect(field).toHaveFocus();
    expect(field).toHaveAttribute("autocomplete", "one-time-code");
    expect(field).toHaveAttribute("inputmode", "numeric");
    expect(screen.queryByRole("button", { name: "Use a security key or passkey" })).not.toBeInTheDocument();
    await user.type(field, "123 456");
    await user.click(screen.getByRole("button", { name: "Verify" }));
    expect(screen.getByRole("button", { name: "Verify" })).toBeDisabled();
    reply.resolve(session);
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith(ada));
    expect(signedIn()).toBe("ada@example.com");
    expect(server.callsTo("POST /auth/login/mfa/")[0]?.body).toEqual({ challenge, code: "123456" });
  });

  it("switches to a recovery code and sends {challenge, recovery_code}", async () => {
    const { user, server, onSuccess } = await renderStep(["totp", "recovery_code"], { "POST /auth/login/mfa/": session });
    await user.click(screen.getByRole("button", { name: "Use a recovery code" }));
    expect(screen.queryByLabelText("Authentication code")).not.toBeInTheDocument();
    const field = screen.getByLabelText("Recovery code");
    expect(field).toHaveFocus();
    await user.type(field, "abcd-efgh-ijkl{Enter}");
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith(ada));
    expect(server.callsTo("POST /auth/login/mfa/")[0]?.body).toEqual({ challenge, recovery_code: "abcd-efgh-ijkl" });
    // And back again.
    await user.click(screen.getByRole("button", { name: "Use your authenticator app" }));
    expect(screen.getByLabelText("Authentication code")).toHaveFocus();
  });

  it("puts a wrong code next to the field, keeps it, and stays on the step", async () => {
    const { user, onSuccess, onRestart } = await renderStep(["totp", "recovery_code"], { "POST /auth/login/mfa/": wrongCode });
    const field = screen.getByLabelText("Authentication code");
    await user.type(field, "000000{Enter}");
    await waitFor(() => expect(field).toHaveAttribute("aria-invalid", "true"));
    expect(field).toHaveAccessibleDescription(/That code is not right, or it has already been used/);
    expect(field).toHaveFocus();
    expect(field).toHaveValue("000000");
    expect(onSuccess).not.toHaveBeenCalled();
    expect(onRestart).not.toHaveBeenCalled();
  });

  it("sends the user back to log in when the challenge is dead", async () => {
    const { user, onRestart, signedIn } = await renderStep(["totp"], { "POST /auth/login/mfa/": deadChallenge });
    await user.type(screen.getByLabelText("Authentication code"), "123456{Enter}");
    await waitFor(() => expect(onRestart).toHaveBeenCalledTimes(1));
    expect(signedIn()).toBe("anonymous");
  });

  it("shows the wait on a 429", async () => {
    const { user } = await renderStep(["totp"], {
      "POST /auth/login/mfa/": { status: 429, data: { code: "throttled", detail: "x" }, headers: { "retry-after": "60" } },
    });
    await user.type(screen.getByLabelText("Authentication code"), "123456{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many attempts. Try again in 60 seconds.");
  });

  it("signs in with a security key: begin with the challenge, the browser's prompt, then {challenge, credential}", async () => {
    fakeBrowser.startAuthentication.mockResolvedValue(assertion);
    const { user, server, onSuccess } = await renderStep(["totp", "recovery_code", "webauthn"], {
      "POST /auth/login/mfa/webauthn/begin/": { status: 200, data: { options: requestOptions } },
      "POST /auth/login/mfa/": session,
    });
    await user.click(screen.getByRole("button", { name: "Use a security key or passkey" }));
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith(ada));
    expect(server.callsTo("POST /auth/login/mfa/webauthn/begin/")[0]?.body).toEqual({ challenge });
    expect(fakeBrowser.startAuthentication).toHaveBeenCalledWith({ optionsJSON: requestOptions });
    expect(server.callsTo("POST /auth/login/mfa/")[0]?.body).toEqual({ challenge, credential: assertion });
  });

  it("offers only the key (and recovery codes) when the account has no app", async () => {
    await renderStep(["recovery_code", "webauthn"], {});
    expect(screen.queryByLabelText("Authentication code")).not.toBeInTheDocument();
    expect(screen.getByText("Use your security key or passkey to finish signing in.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Use a security key or passkey" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Use a recovery code" })).toBeInTheDocument();
  });

  it("stays calm when the key prompt is closed, and the code still works", async () => {
    fakeBrowser.startAuthentication.mockRejectedValue(notAllowed());
    const { user, server, onRestart } = await renderStep(["totp", "webauthn"], {
      "POST /auth/login/mfa/webauthn/begin/": { status: 200, data: { options: requestOptions } },
    });
    await user.click(screen.getByRole("button", { name: "Use a security key or passkey" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The passkey or security key request was cancelled or timed out. You can try again.");
    expect(server.callsTo("POST /auth/login/mfa/")).toHaveLength(0);
    expect(onRestart).not.toHaveBeenCalled();
    expect(screen.getByLabelText("Authentication code")).toBeEnabled();
  });

  it("sends the user back to log in when the key's answer comes after the challenge died", async () => {
    fakeBrowser.startAuthentication.mockResolvedValue(assertion);
    const { user, onRestart } = await renderStep(["webauthn"], {
      "POST /auth/login/mfa/webauthn/begin/": { status: 200, data: { options: requestOptions } },
      "POST /auth/login/mfa/": deadChallenge,
    });
    await user.click(screen.getByRole("button", { name: "Use a security key or passkey" }));
    await waitFor(() => expect(onRestart).toHaveBeenCalledTimes(1));
  });

  it("says when the key is refused", async () => {
    fakeBrowser.startAuthentication.mockResolvedValue(assertion);
    const { user } = await renderStep(["webauthn"], {
      "POST /auth/login/mfa/webauthn/begin/": { status: 200, data: { options: requestOptions } },
      "POST /auth/login/mfa/": { status: 400, data: { code: "invalid_credential", detail: "x" } },
    });
    await user.click(screen.getByRole("button", { name: "Use a security key or passkey" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("That passkey or security key was not accepted.");
  });
});
