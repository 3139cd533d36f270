// Stand-ins for @simplewebauthn/browser (jsdom has no WebAuthn). A test file mocks the module with
//   vi.mock("@simplewebauthn/browser", async () => (await import("<path>/testing/fake-webauthn")).fakeBrowser);
// then tells fakeBrowser what the "browser" answers. Reset before every test.
import { beforeEach, vi } from "vitest";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "../lib/webauthn";

export const fakeBrowser = {
  startAuthentication: vi.fn<(options: { optionsJSON: PublicKeyCredentialRequestOptionsJSON }) => Promise<AuthenticationResponseJSON>>(),
  startRegistration: vi.fn<(options: { optionsJSON: PublicKeyCredentialCreationOptionsJSON }) => Promise<RegistrationResponseJSON>>(),
  browserSupportsWebAuthn: vi.fn(() => true),
};

beforeEach(() => {
  fakeBrowser.startAuthentication.mockReset();
  fakeBrowser.startRegistration.mockReset();
  fakeBrowser.browserSupportsWebAuthn.mockReset().mockReturnValue(true);
});

export const requestOptions: PublicKeyCredentialRequestOptionsJSON = {
  challenge: "cmVxdWVzdC1jaGFsbGVuZ2U",
  rpId: "localhost",
  userVerification: "preferred",
};

export const creationOptions: PublicKeyCredentialCreationOptionsJSON = {
  challenge: "Y3JlYXRpb24tY2hhbGxlbmdl",
  rp: { name: "Auth Platform", id: "localhost" },
  user: { id: "dXNlci0x", name: "ada@example.com", displayName: "ada@example.com" },
  pubKeyCredParams: [{ type: "public-key", alg: -7 }],
};

export const assertion: AuthenticationResponseJSON = {
  id: "Y3JlZC0x",
  rawId: "Y3JlZC0x",
  type: "public-key",
  response: { clientDataJSON: "e30", authenticatorData: "YXV0aA", signature: "c2ln" },
  clientExtensionResults: {},
};

export const attestation: RegistrationResponseJSON = {
  id: "bmV3LWNyZWQ",
  rawId: "bmV3LWNyZWQ",
  type: "public-key",
  response: { clientDataJSON: "e30", attestationObject: "YXR0" },
  clientExtensionResults: {},
};

/** What a browser throws when the prompt is closed, times out, or no credential is picked. */
export function notAllowed(): Error {
  return Object.assign(new Error("The operation either timed out or was not allowed."), { name: "NotAllowedError" });
}
