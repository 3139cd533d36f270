import type { User } from "./api-types";
import { ROLE_ADMIN, ROLE_MEMBER } from "./constants";
import { i18n } from "./i18n";

/** Whether `user` (as `me` returns it) has the admin role. The API still checks every call. */
export function isAdmin(user: Pick<User, "roles"> | null | undefined): boolean {
  return Array.isArray(user?.roles) && user.roles.includes(ROLE_ADMIN);
}

/** A role in the page's language; a role this app does not know, as the API names it. */
export function roleName(role: string): string {
  if (role === ROLE_ADMIN) return i18n.t("roles.admin");
  if (role === ROLE_MEMBER) return i18n.t("roles.member");
  return role;
}
