import { api } from "../../../lib/api-client";

/** DELETE /api/auth/me/ {password} → 204. A wrong password → 400 invalid_password. */
export async function deleteAccount({ password }: { password: string }): Promise<void> {
  await api.delete("/auth/me/", { data: { password } });
}
