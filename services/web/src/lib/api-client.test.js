import { describe, expect, it } from "vitest";
import { toApiError } from "./api-client.js";

describe("toApiError", () => {
  it("keeps the API's code, detail, fields and Retry-After", () => {
    const error = toApiError({
      response: {
        status: 429,
        data: { code: "throttled", detail: "Slow down." },
        headers: { "retry-after": "42" },
      },
    });
    expect(error).toEqual({ status: 429, code: "throttled", detail: "Slow down.", fields: {}, retryAfter: 42 });
  });

  it("describes a network failure", () => {
    expect(toApiError({}).code).toBe("network_error");
  });

  it("survives a non-JSON error body", () => {
    const error = toApiError({ response: { status: 502, data: "<html>", headers: {} } });
    expect(error.status).toBe(502);
    expect(error.detail).toMatch(/went wrong/);
  });
});
