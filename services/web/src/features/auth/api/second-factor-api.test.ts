import { beforeEach, describe, expect, it, vi } from "vitest";
import { ada, fakeApi } from "../../../testing/fake-api";
import { assertion, fakeBrowser, notAllowed, requestOptions as options } from "../../../testing/fake-webauthn";
import { beginPasskeyLogin } from "./begin-passkey-login";
import { beginSecondFactorWebauthn } from "./begin-second-factor-webauthn";
import { confirmLoginCode } from "./confirm-login-code";
import { finishPasskeyLogin } from "./finish-passkey-login";
import { logInWithPasskey } from "./log-in-with-passkey";
import { login } from "./login";
import { requestLoginCode } from "./request-login-code";
import { verifySecondFactor } from "./verify-second-factor";

vi.mock("@simplewebauthn/browser", async () => (await import("../../../testing/fake-webauthn")).fakeBrowser);

const session = { status: 200, data: { expiry: "2026-11-22T04:00:00Z", user: ada } };
const mfaRequired = { mfa_required: true, challenge: "c".repeat(43), methods: ["totp", "recovery_code"] };

describe("the login's second-factor calls", () => {
  beforeEach(() => {
    document.cookie = "csrftoken=abc; path=/";
  });

  it("login passes an mfa_required answer on as it is", async () => {
    fakeApi({ "POST /auth/login/": { status: 200, data: mfaRequired } });
    await expect(login({ identifier: "ada", password: "pw" })).resolves.toEqual(mfaRequired);
  });

  it("send the challenge with exactly one of code, recovery_code or credential", async () => {
    const server = fakeApi({ "POST /auth/login/mfa/": session });
    await expect(verifySecondFactor("the-challenge", { code: " 123 456 " })).resolves.toEqual(session.data);
    await verifySecondFactor("the-challenge", { recoveryCode: " abcd-efgh-ijkl " });
    await verifySecondFactor("the-challenge", { credential: assertion });
    expect(server.callsTo("POST /auth/login/mfa/").map((call) => call.body)).toEqual([
      { challenge: "the-challenge", code: "123456" },
      { challenge: "the-challenge", recovery_code: "abcd-efgh-ijkl" },
      { challenge: "the-challenge", credential: assertion },
    ]);
  });

  it("ask for the security key's options with the challenge", async () => {
    const server = fakeApi({ "POST /auth/login/mfa/webauthn/begin/": { status: 200, data: { options } } });
    await expect(beginSecondFactorWebauthn("the-challenge")).resolves.toEqual(options);
    expect(server.calls.at(-1)?.body).toEqual({ challenge: "the-challenge" });
  });

  it("a dead challenge is not a session that ended", async () => {
    fakeApi({ "POST /auth/login/mfa/": { status: 400, data: { code: "invalid_challenge", detail: "Log in again." } } });
    await expect(verifySecondFactor("old", { code: "123456" })).rejects.toMatchObject({ status: 400, code: "invalid_challenge" });
  });
});

describe("the passkey login calls", () => {
  beforeEach(() => {
    document.cookie = "csrftoken=abc; path=/";
  });

  it("begin without naming anyone, and finish with the assertion", async () => {
    const server = fakeApi({
      "POST /auth/login/passkey/begin/": { status: 200, data: { options } },
      "POST /auth/login/passkey/": session,
    });
    await expect(beginPasskeyLogin()).resolves.toEqual(options);
    await expect(finishPasskeyLogin(assertion)).resolves.toEqual(session.data);
    expect(server.calls.map((call) => call.body)).toEqual([null, { credential: assertion }]);
  });

  it("logInWithPasskey runs the whole ceremony in order", async () => {
    fakeBrowser.startAuthentication.mockResolvedValue(assertion);
    const server = fakeApi({
      "POST /auth/login/passkey/begin/": { status: 200, data: { options } },
      "POST /auth/login/passkey/": session,
    });
    await expect(logInWithPasskey()).resolves.toEqual(session.data);
    expect(fakeBrowser.startAuthentication).toHaveBeenCalledWith({ optionsJSON: options });
    expect(server.calls.map((call) => `${call.method} ${call.url}`)).toEqual(["POST /auth/login/passkey/begin/", "POST /auth/login/passkey/"]);
  });

  it("logInWithPasskey sends nothing more when the prompt is closed", async () => {
    fakeBrowser.startAuthentication.mockRejectedValue(notAllowed());
    const server = fakeApi({ "POST /auth/login/passkey/begin/": { status: 200, data: { options } } });
    await expect(logInWithPasskey()).rejects.toMatchObject({ code: "webauthn_cancelled" });
    expect(server.callsTo("POST /auth/login/passkey/")).toHaveLength(0);
  });
});

describe("the emailed-code calls", () => {
  it("ask for a code with the trimmed email, then confirm it", async () => {
    document.cookie = "csrftoken=abc; path=/";
    const server = fakeApi({
      "POST /auth/login/code/": { status: 202, data: { detail: "If that address has an account, we sent a sign-in code." } },
      "POST /auth/login/code/confirm/": { status: 200, data: mfaRequired },
    });
    await expect(requestLoginCode({ email: " ada@example.com " })).resolves.toEqual({
      detail: "If that address has an account, we sent a sign-in code.",
    });
    await expect(confirmLoginCode({ email: "ada@example.com", code: " abcd-2345 " })).resolves.toEqual(mfaRequired);
    expect(server.calls.map((call) => call.body)).toEqual([
      { email: "ada@example.com" },
      { email: "ada@example.com", code: "abcd-2345" },
    ]);
  });
});
