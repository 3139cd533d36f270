import { api } from "../../../lib/api-client";
import type { Detail } from "../../../lib/api-types";

/**
 * POST /api/auth/device-alerts/confirm/ {key} → 200 {detail}: "Yes, it was me", the device of the
 * new-device email becomes known. No login needed; an unknown, used or expired key → 400 invalid_key.
 */
export async function confirmDeviceAlert(key: string): Promise<Detail> {
  const response = await api.post<Detail>("/auth/device-alerts/confirm/", { key });
  return response.data;
}
