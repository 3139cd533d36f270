// Values the API decides, kept here once for the whole app.

/**
 * The roles, as the API names them: services/api/accounts/roles.py (ADMIN, MEMBER, ASSIGNABLE),
 * the one home of their names on the API side. The API answers with every group a user is in
 * (`roles`), but only these can be assigned (the schema's enum lists them).
 */
export const ROLE_ADMIN = "admin";
export const ROLE_MEMBER = "member";

/** The assignable roles, in the order the admin list shows them and sends them. */
export const ROLES: readonly string[] = [ROLE_ADMIN, ROLE_MEMBER];

// The admin list's page size is not copied here: it is read from each answer (lib/pagination.ts),
// so it follows the API's REST_FRAMEWORK PAGE_SIZE (config/settings.py) wherever that goes.
