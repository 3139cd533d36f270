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
}

/** LoginResponseSerializer with the cookie transport: the token is in the cookie, not here. */
export interface LoginResponse {
  expiry: string;
  user: User;
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

/** The API's error body (core/errors.py): `fields` only for validation errors. */
export interface ErrorBody {
  code?: unknown;
  detail?: unknown;
  fields?: unknown;
}
