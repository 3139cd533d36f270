import { api } from "../../../lib/api-client";
import type { Detail } from "../../../lib/api-types";

/** POST /api/auth/login/code/ {email} → 202 {detail}, the same whatever the address. */
export async function requestLoginCode({ email }: { email: string }): Promise<Detail> {
  const response = await api.post<Detail>("/auth/login/code/", { email: email.trim() }, { skipSessionEnded: true });
  return response.data;
}
