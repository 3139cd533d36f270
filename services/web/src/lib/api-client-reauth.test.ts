import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from "vitest";
import { deferred, fakeApi, type FakeResponse } from "../testing/fake-api";
import { api, onReauthenticationRequired, type ReauthenticationPrompt } from "./api-client";

const sudo: FakeResponse = { status: 403, data: { code: "reauthentication_required", detail: "Confirm it's you." } };

describe("a 403 reauthentication_required", () => {
  let prompt: Mock<ReauthenticationPrompt>;
  let unregister: () => void;
  beforeEach(() => {
    document.cookie = "csrftoken=abc; path=/";
    prompt = vi.fn<ReauthenticationPrompt>(async () => true);
    unregister = onReauthenticationRequired(prompt);
  });
  afterEach(() => unregister());

  it("asks the registered prompt, then sends the same request again, once", async () => {
    let answers = [sudo, { status: 200, data: { detail: "Changed." } }];
    const server = fakeApi({
      "POST /auth/password/change/": () => {
        const [first, ...rest] = answers;
        answers = rest;
        return first ?? { status: 500 };
      },
    });
    const response = await api.post("/auth/password/change/", { current_password: "a", new_password: "b" });
    expect(response.data).toEqual({ detail: "Changed." });
    expect(prompt).toHaveBeenCalledTimes(1);
    const calls = server.callsTo("POST /auth/password/change/");
    expect(calls.map((call) => call.body)).toEqual([
      { current_password: "a", new_password: "b" },
      { current_password: "a", new_password: "b" },
    ]);
    // The retry went through the request interceptors again: it carries the CSRF token too.
    expect(calls[1]?.headers["X-CSRFToken"]).toBe("abc");
  });

  it("rejects with the 403 when the user cancels, and sends nothing more", async () => {
    prompt.mockResolvedValue(false);
    const server = fakeApi({ "DELETE /auth/me/": sudo });
    await expect(api.delete("/auth/me/", { data: { password: "pw" } })).rejects.toMatchObject({
      status: 403,
      code: "reauthentication_required",
    });
    expect(server.callsTo("DELETE /auth/me/")).toHaveLength(1);
  });

  it("retries only once: a second 403 goes to the caller without asking again", async () => {
    const server = fakeApi({ "POST /auth/logout-all/": sudo });
    await expect(api.post("/auth/logout-all/", null)).rejects.toMatchObject({ code: "reauthentication_required" });
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(server.callsTo("POST /auth/logout-all/")).toHaveLength(2);
  });

  it("asks once for requests refused together", async () => {
    const answer = deferred<boolean>();
    prompt.mockReturnValue(answer.promise);
    const seen = new Map<string, number>();
    fakeApi({
      "POST /auth/a/": () => {
        seen.set("a", (seen.get("a") ?? 0) + 1);
        return seen.get("a") === 1 ? sudo : { status: 204 };
      },
      "POST /auth/b/": () => {
        seen.set("b", (seen.get("b") ?? 0) + 1);
        return seen.get("b") === 1 ? sudo : { status: 204 };
      },
    });
    const both = Promise.all([api.post("/auth/a/", {}), api.post("/auth/b/", {})]);
    await vi.waitFor(() => expect(prompt).toHaveBeenCalled());
    answer.resolve(true);
    await both;
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(Object.fromEntries(seen)).toEqual({ a: 2, b: 2 });
  });

  it("is passed on untouched for calls that opt out (the reauthentication itself)", async () => {
    fakeApi({ "POST /auth/reauthenticate/": sudo });
    await expect(api.post("/auth/reauthenticate/", {}, { skipReauthentication: true })).rejects.toMatchObject({ status: 403 });
    expect(prompt).not.toHaveBeenCalled();
  });

  it("treats a prompt that fails as a cancel", async () => {
    prompt.mockRejectedValue(new Error("dialog broke"));
    fakeApi({ "POST /auth/email/change/": sudo });
    await expect(api.post("/auth/email/change/", {})).rejects.toMatchObject({ code: "reauthentication_required" });
  });

  it("leaves other 403s alone", async () => {
    fakeApi({ "POST /auth/logout/": { status: 403, data: { code: "csrf_failed", detail: "CSRF check failed." } } });
    await expect(api.post("/auth/logout/", null)).rejects.toMatchObject({ code: "csrf_failed" });
    expect(prompt).not.toHaveBeenCalled();
  });
});

describe("without a registered prompt", () => {
  it("the 403 reaches the caller", async () => {
    document.cookie = "csrftoken=abc; path=/";
    const server = fakeApi({ "POST /auth/mfa/recovery-codes/": sudo });
    await expect(api.post("/auth/mfa/recovery-codes/", null)).rejects.toMatchObject({ code: "reauthentication_required" });
    expect(server.calls).toHaveLength(1);
  });

  it("unregistering an older prompt keeps the newer one", async () => {
    const older = vi.fn<ReauthenticationPrompt>(async () => false);
    const newer = vi.fn<ReauthenticationPrompt>(async () => false);
    const dropOlder = onReauthenticationRequired(older);
    const dropNewer = onReauthenticationRequired(newer);
    dropOlder();
    document.cookie = "csrftoken=abc; path=/";
    fakeApi({ "POST /auth/x/": sudo });
    await expect(api.post("/auth/x/", {})).rejects.toMatchObject({ status: 403 });
    expect(newer).toHaveBeenCalledTimes(1);
    expect(older).not.toHaveBeenCalled();
    dropNewer();
  });
});
