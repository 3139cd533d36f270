import { api } from "../../../lib/api-client";
import type { CursorPage, SecurityEvent } from "../../../lib/api-types";

const PATH = "/auth/security-log/";

/**
 * The cursor of a `next` the API gave (a path such as /api/auth/security-log/?cursor=cD0xMjM%3D,
 * or a full URL). Only the cursor is read from it: the request still goes to this endpoint
 * through the api client, never wherever the URL points.
 */
function cursorOf(next: string): string {
  const cursor = new URL(next, window.location.origin).searchParams.get("cursor");
  if (!cursor) throw new Error(`The security log's next page has no cursor: ${next}`);
  return cursor;
}

/**
 * GET /api/auth/security-log/ → {next, previous, results}, newest first. `older` is the `next`
 * of the page before: the call then answers the page of events after it (older ones).
 */
export async function getSecurityLog(older?: string | null): Promise<CursorPage<SecurityEvent>> {
  const config = older ? { params: { cursor: cursorOf(older) } } : {};
  const response = await api.get<Partial<CursorPage<SecurityEvent>> | null>(PATH, config);
  const data = response.data ?? {};
  return {
    next: typeof data.next === "string" && data.next ? data.next : null,
    previous: typeof data.previous === "string" && data.previous ? data.previous : null,
    results: Array.isArray(data.results) ? data.results : [],
  };
}
