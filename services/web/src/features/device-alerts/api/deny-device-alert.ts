import { api } from "../../../lib/api-client";
import type { Detail } from "../../../lib/api-types";

/**
 * POST /api/auth/device-alerts/deny/ {key} → 200 {detail}: "This wasn't me". The API ends every
 * session of the account, blocks password sign-in until a reset and emails a reset link. No login
 * needed; an unknown, used or expired key → 400 invalid_key.
 */
export async function denyDeviceAlert(key: string): Promise<Detail> {
  const response = await api.post<Detail>("/auth/device-alerts/deny/", { key });
  return response.data;
}
