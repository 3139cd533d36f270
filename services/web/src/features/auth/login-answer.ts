// Reading a login answer (login/, login/code/confirm/, login/mfa/, login/passkey/): a session,
// or the second step it still needs.
import type { LoginAnswer, MfaMethod, MfaRequired } from "../../lib/api-types";

const METHODS: readonly MfaMethod[] = ["totp", "recovery_code", "webauthn"];

export function isMfaRequired(answer: LoginAnswer): answer is MfaRequired {
  return "mfa_required" in answer && answer.mfa_required === true;
}

/** The login's second step, as the app keeps it (in memory only). */
export interface MfaChallenge {
  challenge: string;
  /** Only the methods this app knows, in a fixed order. */
  methods: MfaMethod[];
}

export function mfaChallengeOf(answer: MfaRequired): MfaChallenge {
  const offered = Array.isArray(answer.methods) ? answer.methods : [];
  return { challenge: answer.challenge, methods: METHODS.filter((method) => offered.includes(method)) };
}
