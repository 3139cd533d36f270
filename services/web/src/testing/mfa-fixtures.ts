// Answers of the second-factor endpoints, for tests.
import type { MfaStatus, WebauthnCredential } from "../lib/api-types";

export const recoveryCodes = Array.from({ length: 10 }, (_, index) => `K7QM-2XPD-R${String(index).padStart(3, "0")}`);

export const mfaOff: MfaStatus = { totp_enabled: false, totp_enabled_at: null, recovery_codes_remaining: 0, webauthn_credentials: 0 };

export const mfaOn: MfaStatus = { totp_enabled: true, totp_enabled_at: "2026-11-21T18:00:00Z", recovery_codes_remaining: 10, webauthn_credentials: 0 };

export const totpSecret = {
  secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
  otpauth_uri: "otpauth://totp/Auth%20Platform:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Auth%20Platform",
};

export const laptopPasskey: WebauthnCredential = {
  id: 3,
  name: "Work laptop",
  passwordless: true,
  created_at: "2026-11-20T09:00:00Z",
  last_used_at: "2026-11-21T08:30:00Z",
};

export const blueKey: WebauthnCredential = { id: 4, name: "Blue key", passwordless: false, created_at: "2026-11-21T10:00:00Z", last_used_at: null };
