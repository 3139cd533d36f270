import { api } from "../../../lib/api-client";
import type { Detail } from "../../../lib/api-types";

/**
 * POST /api/auth/password/reset/verify/ {uid, token} → 200 {detail}; 400 invalid_reset otherwise.
 * Does not use the link up.
 */
export async function verifyResetLink({ uid, token }: { uid: string; token: string }): Promise<Detail> {
  const response = await api.post<Detail>("/auth/password/reset/verify/", { uid, token });
  return response.data;
}
