import { api } from "../../../lib/api-client";
import type { Detail } from "../../../lib/api-types";

/** POST /api/auth/password/reset/ {email} → 202 {detail}, the same whatever the address. */
export async function requestReset(email: string): Promise<Detail> {
  const response = await api.post<Detail>("/auth/password/reset/", { email: email.trim() });
  return response.data;
}
