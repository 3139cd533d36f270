import { api } from "../../../lib/api-client";

/**
 * GET /api/auth/me/export/ → one JSON document of everything the account holds. It may answer
 * 403 reauthentication_required: the api client asks "Confirm it's you" and sends it again.
 */
export async function exportAccountData(): Promise<unknown> {
  const response = await api.get<unknown>("/auth/me/export/");
  return response.data;
}
