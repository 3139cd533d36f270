import type { User } from "./api-types";
import { ROLE_ADMIN } from "./constants";

/** Whether `user` (as `me` returns it) has the admin role. The API still checks every call. */
export function isAdmin(user: Pick<User, "roles"> | null | undefined): boolean {
  return Array.isArray(user?.roles) && user.roles.includes(ROLE_ADMIN);
}
