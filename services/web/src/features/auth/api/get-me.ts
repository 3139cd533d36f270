import { api } from "../../../lib/api-client";
import type { User } from "../../../lib/api-types";

/** GET /api/auth/me/ → the signed-in user; 401 simply means "anonymous" here. */
export async function getMe(): Promise<User | null> {
  const response = await api.get<User | null>("/auth/me/", { skipSessionEnded: true });
  return response.data;
}
