import { describe, expect, it, vi } from "vitest";
import { assertion, attestation, creationOptions, fakeBrowser, notAllowed, requestOptions } from "../testing/fake-webauthn";
import { ceremonyError, createCredential, getAssertion } from "./webauthn";

vi.mock("@simplewebauthn/browser", async () => (await import("../testing/fake-webauthn")).fakeBrowser);

const domError = (name: string) => Object.assign(new Error("The operation either timed out or was not allowed."), { name });

describe("the browser's WebAuthn calls", () => {
  it("pass the API's options as optionsJSON and give the JSON answer back", async () => {
    fakeBrowser.startAuthentication.mockResolvedValue(assertion);
    fakeBrowser.startRegistration.mockResolvedValue(attestation);
    await expect(getAssertion(requestOptions)).resolves.toEqual(assertion);
    await expect(createCredential(creationOptions)).resolves.toEqual(attestation);
    expect(fakeBrowser.startAuthentication).toHaveBeenCalledWith({ optionsJSON: requestOptions });
    expect(fakeBrowser.startRegistration).toHaveBeenCalledWith({ optionsJSON: creationOptions });
  });

  it("turn a closed prompt (NotAllowedError) into the calm webauthn_cancelled", async () => {
    fakeBrowser.startAuthentication.mockRejectedValue(notAllowed());
    await expect(getAssertion(requestOptions)).rejects.toEqual({
      status: 0,
      code: "webauthn_cancelled",
      detail: "The passkey or security key request was cancelled or timed out. You can try again.",
      fields: {},
      retryAfter: null,
    });
  });

  it("say when the authenticator is already registered", async () => {
    fakeBrowser.startRegistration.mockRejectedValue(domError("InvalidStateError"));
    await expect(createCredential(creationOptions)).rejects.toMatchObject({ code: "webauthn_already_registered" });
  });

  it("say when the browser has no WebAuthn, without calling it", async () => {
    fakeBrowser.browserSupportsWebAuthn.mockReturnValue(false);
    await expect(getAssertion(requestOptions)).rejects.toMatchObject({ status: 0, code: "webauthn_unsupported" });
    expect(fakeBrowser.startAuthentication).not.toHaveBeenCalled();
  });
});

describe("ceremonyError", () => {
  it.each([
    ["NotAllowedError", "webauthn_cancelled"],
    ["AbortError", "webauthn_cancelled"],
    ["InvalidStateError", "webauthn_already_registered"],
    ["SecurityError", "webauthn_failed"],
  ])("maps %s to %s", (name, code) => {
    expect(ceremonyError(domError(name)).code).toBe(code);
  });

  it("maps anything else to webauthn_failed", () => {
    expect(ceremonyError("weird")).toMatchObject({ status: 0, code: "webauthn_failed" });
  });
});
