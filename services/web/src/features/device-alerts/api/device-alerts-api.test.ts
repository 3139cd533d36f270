import { describe, expect, it } from "vitest";
import { fakeApi } from "../../../testing/fake-api";
import { confirmDeviceAlert } from "./confirm-device-alert";
import { denyDeviceAlert } from "./deny-device-alert";

describe("the device alert calls", () => {
  it("post the key to confirm and to deny, with the CSRF header", async () => {
    const server = fakeApi({
      "POST /auth/device-alerts/confirm/": { status: 200, data: { detail: "Thanks." } },
      "POST /auth/device-alerts/deny/": { status: 200, data: { detail: "Secured." } },
    });
    await expect(confirmDeviceAlert("k-1")).resolves.toEqual({ detail: "Thanks." });
    await expect(denyDeviceAlert("k-2")).resolves.toEqual({ detail: "Secured." });
    const posts = server.calls.filter((call) => call.method === "POST");
    expect(posts.map((call) => [call.url, call.body, call.headers["X-CSRFToken"]])).toEqual([
      ["/auth/device-alerts/confirm/", { key: "k-1" }, "test-csrf-token"],
      ["/auth/device-alerts/deny/", { key: "k-2" }, "test-csrf-token"],
    ]);
  });

  it("reject an invalid key with the API's code", async () => {
    fakeApi({ "POST /auth/device-alerts/deny/": { status: 400, data: { code: "invalid_key", detail: "Invalid." } } });
    await expect(denyDeviceAlert("old")).rejects.toMatchObject({ status: 400, code: "invalid_key" });
  });
});
