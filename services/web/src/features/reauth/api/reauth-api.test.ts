import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { onReauthenticationRequired } from "../../../lib/api-client";
import { fakeApi } from "../../../testing/fake-api";
import { assertion } from "../../../testing/fake-webauthn";
import { beginWebauthnReauthentication } from "./begin-webauthn-reauthentication";
import { reauthenticate } from "./reauthenticate";

const until = { reauthenticated_until: "2026-11-21T18:10:00Z" };

describe("the reauthentication calls", () => {
  const prompt = vi.fn(async () => true);
  let unregister: () => void;
  beforeEach(() => {
    document.cookie = "csrftoken=abc; path=/";
    unregister = onReauthenticationRequired(prompt);
  });
  afterEach(() => unregister());

  it("send exactly one proof", async () => {
    const server = fakeApi({ "POST /auth/reauthenticate/": { status: 200, data: until } });
    await expect(reauthenticate({ password: " pw " })).resolves.toEqual(until);
    await reauthenticate({ code: "123 456" });
    await reauthenticate({ credential: assertion });
    expect(server.calls.map((call) => call.body)).toEqual([{ password: " pw " }, { code: "123456" }, { credential: assertion }]);
  });

  it("ask for WebAuthn options", async () => {
    const options = { challenge: "Y2hhbGxlbmdl" };
    fakeApi({ "POST /auth/reauthenticate/webauthn/begin/": { status: 200, data: { options } } });
    await expect(beginWebauthnReauthentication()).resolves.toEqual(options);
  });

  it("never ask for a reauthentication themselves", async () => {
    fakeApi({ "POST /auth/reauthenticate/": { status: 403, data: { code: "reauthentication_required", detail: "x" } } });
    await expect(reauthenticate({ password: "pw" })).rejects.toMatchObject({ status: 403 });
    expect(prompt).not.toHaveBeenCalled();
  });
});
