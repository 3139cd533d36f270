import { api } from "../../../lib/api-client";
import type { Detail } from "../../../lib/api-types";

/** POST /api/auth/email/resend/ {email} → 202 {detail}, the same whatever the address. */
export async function resendConfirmation(email: string): Promise<Detail> {
  const response = await api.post<Detail>("/auth/email/resend/", { email: email.trim() });
  return response.data;
}
