import { api } from "../../../lib/api-client";
import type { Detail } from "../../../lib/api-types";

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

/**
 * POST /api/auth/password/change/ {current_password, new_password} → 200 {detail}. A wrong
 * current password → 400 invalid_password. Every other session is revoked.
 */
export async function changePassword({ currentPassword, newPassword }: PasswordChange): Promise<Detail> {
  const response = await api.post<Detail>("/auth/password/change/", {
    current_password: currentPassword,
    new_password: newPassword,
  });
  return response.data;
}
