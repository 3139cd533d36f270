import { api } from "../../../lib/api-client";
import type { Detail } from "../../../lib/api-types";

/** POST /api/auth/email/confirm/ {key} → 200 {detail}; a used or expired key → 400 invalid_key. */
export async function confirmEmail(key: string): Promise<Detail> {
  const response = await api.post<Detail>("/auth/email/confirm/", { key });
  return response.data;
}
