import { describe, expect, it } from "vitest";
import { fakeApi } from "../../../testing/fake-api";
import { getSecurityLog } from "./get-security-log";

const event = { id: 7, kind: "password_changed", created_at: "2026-11-21T18:00:00Z", details: {} };

describe("the security log call", () => {
  it("asks for the newest page, then the next one by the cursor in `next`", async () => {
    const server = fakeApi({
      "GET /auth/security-log/": ({ params }) => ({
        status: 200,
        data: params?.cursor
          ? { next: null, previous: "/api/auth/security-log/?cursor=cj0x", results: [{ ...event, id: 6 }] }
          : { next: "/api/auth/security-log/?cursor=cD0xMjM%3D", previous: null, results: [event] },
      }),
    });
    const first = await getSecurityLog();
    expect(first).toEqual({ next: "/api/auth/security-log/?cursor=cD0xMjM%3D", previous: null, results: [event] });
    const older = await getSecurityLog(first.next);
    expect(older.results.map((row) => row.id)).toEqual([6]);
    expect(older.next).toBeNull();
    // The cursor goes back decoded, as a query parameter of the same endpoint (Axios encodes it).
    expect(server.calls.map((call) => [call.url, call.params])).toEqual([
      ["/auth/security-log/", null],
      ["/auth/security-log/", { cursor: "cD0xMjM=" }],
    ]);
  });

  it("reads the cursor of an absolute next too, and never requests another origin", async () => {
    const server = fakeApi({ "GET /auth/security-log/": { status: 200, data: { next: null, previous: null, results: [] } } });
    await getSecurityLog("https://elsewhere.example/api/auth/security-log/?cursor=abc");
    expect(server.calls.map((call) => [call.url, call.params])).toEqual([["/auth/security-log/", { cursor: "abc" }]]);
  });

  it("fills in what an answer leaves out, and refuses a next without a cursor", async () => {
    const server = fakeApi({ "GET /auth/security-log/": { status: 200, data: {} } });
    await expect(getSecurityLog()).resolves.toEqual({ next: null, previous: null, results: [] });
    await expect(getSecurityLog("/api/auth/security-log/")).rejects.toThrow(/no cursor/);
    expect(server.calls).toHaveLength(1);
  });
});
