// The browser's side of WebAuthn (passkeys and security keys), through @simplewebauthn/browser,
// which turns the API's JSON options into navigator.credentials calls and the results back into
// JSON. The library is loaded on first use, so pages that never touch a passkey never download it.
// A refusal comes out as an ApiError with status 0 and one of our own codes, so the forms show it
// like any other error (lib/error-message.ts has the wording).
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/browser";
import type { ApiError } from "./api-client";
import { codeMessage } from "./error-message";

export type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
};

function refusal(code: string): ApiError {
  return { status: 0, code, detail: codeMessage({ code, detail: "" }), fields: {}, retryAfter: null };
}

/**
 * What a failed ceremony means for the user. NotAllowedError is what browsers raise when the
 * prompt is closed, times out or no credential is chosen: the calm "cancelled" message, never
 * an alarming one. InvalidStateError on registration: this authenticator is already registered.
 */
export function ceremonyError(caught: unknown): ApiError {
  const name = caught && typeof caught === "object" ? (caught as { name?: unknown }).name : undefined;
  if (name === "NotAllowedError" || name === "AbortError") return refusal("webauthn_cancelled");
  if (name === "InvalidStateError") return refusal("webauthn_already_registered");
  return refusal("webauthn_failed");
}

// Like the api client, these reject with the plain ApiError object, never an Error.
/* eslint-disable @typescript-eslint/prefer-promise-reject-errors */

async function browser() {
  const library = await import("@simplewebauthn/browser");
  if (!library.browserSupportsWebAuthn()) return Promise.reject(refusal("webauthn_unsupported"));
  return library;
}

/** navigator.credentials.get() with the API's request options → the assertion, as JSON. */
export async function getAssertion(optionsJSON: PublicKeyCredentialRequestOptionsJSON): Promise<AuthenticationResponseJSON> {
  const { startAuthentication } = await browser();
  return startAuthentication({ optionsJSON }).catch((caught: unknown) => Promise.reject(ceremonyError(caught)));
}

/** navigator.credentials.create() with the API's creation options → the attestation, as JSON. */
export async function createCredential(optionsJSON: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON> {
  const { startRegistration } = await browser();
  return startRegistration({ optionsJSON }).catch((caught: unknown) => Promise.reject(ceremonyError(caught)));
}
