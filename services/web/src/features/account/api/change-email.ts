import { api } from "../../../lib/api-client";
import type { Detail } from "../../../lib/api-types";

export interface EmailChange {
  newEmail: string;
  password: string;
}

/**
 * POST /api/auth/email/change/ {new_email, password} → 202 {detail}; the address changes when
 * the link sent to it is opened. A wrong password → 400 invalid_password.
 */
export async function changeEmail({ newEmail, password }: EmailChange): Promise<Detail> {
  const response = await api.post<Detail>("/auth/email/change/", { new_email: newEmail.trim(), password });
  return response.data;
}
