// The shapes of the API's answers that the app reads: the contract is docs/api.md, the source
// services/api/accounts/api/serializers.py (and admin_views.py for the admin list).

/** UserSerializer: GET and PATCH /api/auth/me/, and the `user` of a login. */
export interface User {
  id: number;
  email: string;
  username: string | null;
  first_name: string;
  last_name: string;
  email_confirmed: boolean;
  /** ISO 8601. */
  date_joined: string;
  roles: string[];
  /** The account's language (lib/i18n.ts LANGUAGES): the page follows it once signed in. */
  language: "en" | "de";
}

/** LoginResponseSerializer with the cookie transport: the token is in the cookie, not here. */
export interface LoginResponse {
  expiry: string;
  user: User;
}

/** A second factor the login's second step accepts (MFARequiredSerializer's `methods`). */
export type MfaMethod = "totp" | "recovery_code" | "webauthn";

/** The right password (or emailed code) for an account with a second factor: no token yet. */
export interface MfaRequired {
  mfa_required: true;
  /** Opaque and single-use: only ever kept in memory (features/auth/auth-context.tsx). */
  challenge: string;
  methods: string[];
}

/** What login/, login/code/confirm/ answer: a session, or the way to its second step. */
export type LoginAnswer = LoginResponse | MfaRequired;

/** MFAStatusSerializer: GET /api/auth/mfa/. */
export interface MfaStatus {
  totp_enabled: boolean;
  totp_enabled_at: string | null;
  recovery_codes_remaining: number;
  webauthn_credentials: number;
}

/** TOTPSetupSerializer: POST /api/auth/mfa/totp/setup/ (not active until confirmed). */
export interface TotpSetup {
  secret: string;
  otpauth_uri: string;
}

/** RecoveryCodesSerializer: shown once, after TOTP confirm, regenerate, or a first passkey. */
export interface RecoveryCodes {
  recovery_codes: string[];
}

/** One row of GET /api/auth/mfa/webauthn/: passwordless is a passkey, otherwise a security key. */
export interface WebauthnCredential {
  id: number;
  name: string;
  passwordless: boolean;
  created_at: string;
  last_used_at: string | null;
}

/** POST /api/auth/mfa/webauthn/register/ → 201; recovery_codes is non-empty for a first factor. */
export interface WebauthnRegistered {
  credential: WebauthnCredential;
  recovery_codes: string[];
}

/** What the WebAuthn "begin" endpoints answer: the options in their JSON form (base64url strings). */
export interface WebauthnOptions<T> {
  options: T;
}

/** POST /api/auth/reauthenticate/ → 200. */
export interface Reauthenticated {
  reauthenticated_until: string;
}

/** DetailSerializer: most POSTs answer {detail} (202 for the mailed ones, 200 otherwise). */
export interface Detail {
  detail: string;
}

/** SessionSerializer: one row of GET /api/auth/sessions/. */
export interface Session {
  id: string;
  created: string;
  expiry: string;
  last_seen: string | null;
  user_agent: string;
  ip: string | null;
  current: boolean;
  /** How the session signed in; an API from before second factors leaves both out. */
  auth_method?: "password" | "passkey" | "email_code";
  second_factor?: "totp" | "recovery_code" | "webauthn" | null;
}

/** AdminUserSerializer: one row of GET /api/admin/users/, and what PATCH answers. */
export interface AdminUser {
  id: number;
  email: string;
  username: string | null;
  first_name: string;
  last_name: string;
  is_active: boolean;
  email_confirmed: boolean;
  date_joined: string;
  last_login: string | null;
  roles: string[];
  /** Whether the user has any second factor (authenticator app or WebAuthn credential). */
  mfa_enabled?: boolean;
}

/** What PATCH /api/admin/users/<id>/ accepts. */
export interface AdminUserChanges {
  is_active?: boolean;
  roles?: string[];
}

/** DRF's page-number pagination: `next`/`previous` are absolute URLs or null. */
export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/**
 * One row of GET /api/auth/security-log/: something that happened to the account, newest first.
 * `details` depends on `kind` (features/security-log/event-sentence.ts reads it); a kind this
 * app does not know yet is still shown.
 */
export interface SecurityEvent {
  id: number;
  kind: string;
  created_at: string;
  ip: string | null;
  /** Readable, e.g. "Chrome 131 on Linux"; "" when unknown. */
  device: string;
  /** The public id of the session it came from, or null. */
  session: string | null;
  /** Whether it came from the session making this request. */
  current_session: boolean;
  /** 1, or how many failed sign-ins this row counts. */
  count: number;
  /** The owner said "This wasn't me" about this sign-in. */
  disowned: boolean;
  details: Record<string, unknown>;
}

/** Cursor pagination: `next` (older rows) and `previous` are URLs carrying `cursor`, or null. */
export interface CursorPage<T> {
  next: string | null;
  previous: string | null;
  results: T[];
}

/** The API's error body (core/errors.py): `fields` only for validation errors. */
export interface ErrorBody {
  code?: unknown;
  detail?: unknown;
  fields?: unknown;
}
