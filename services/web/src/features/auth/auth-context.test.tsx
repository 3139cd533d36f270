import { act, render, renderHook, screen, waitFor } from "@testing-library/react";
import { StrictMode } from "react";
import { describe, expect, it, vi } from "vitest";
import { api } from "../../lib/api-client";
import { ada, fakeApi, type FakeResponse } from "../../testing/fake-api";
import { AuthProvider, useAuth, useUser } from "./auth-context";

function Who() {
  const { loading } = useAuth();
  const user = useUser();
  if (loading) return <p>loading</p>;
  return <p>{user ? `user ${user.email}` : "anonymous"}</p>;
}

function renderProvider() {
  return render(
    <StrictMode>
      <AuthProvider>
        <Who />
      </AuthProvider>
    </StrictMode>,
  );
}

describe("AuthProvider", () => {
  it("loads the CSRF cookie, then me, once, even under StrictMode", async () => {
    const server = fakeApi({ "GET /auth/me/": { status: 200, data: ada } });
    renderProvider();
    expect(screen.getByText("loading")).toBeInTheDocument();
    expect(await screen.findByText("user ada@example.com")).toBeInTheDocument();
    expect(server.calls.map((call) => `${call.method} ${call.url}`)).toEqual(["GET /auth/csrf/", "GET /auth/me/"]);
  });

  it("treats a 401 from me as anonymous", async () => {
    fakeApi();
    renderProvider();
    expect(await screen.findByText("anonymous")).toBeInTheDocument();
  });

  it("still finishes loading when the API is down", async () => {
    fakeApi({ "GET /auth/csrf/": { status: 502 }, "GET /auth/me/": { status: 502 } });
    renderProvider();
    expect(await screen.findByText("anonymous")).toBeInTheDocument();
  });

  it("forgets the user when a later call says the session ended", async () => {
    fakeApi({
      "GET /auth/me/": { status: 200, data: ada },
      "GET /auth/other/": { status: 401, data: { code: "authentication_failed", detail: "Invalid or expired token." } },
    });
    renderProvider();
    await screen.findByText("user ada@example.com");
    await act(async () => {
      await api.get("/auth/other/").catch(() => {});
    });
    await waitFor(() => expect(screen.getByText("anonymous")).toBeInTheDocument());
  });

  it("keeps a login's second step in memory only, and signs in with the step's answer", async () => {
    const setItem = vi.spyOn(Storage.prototype, "setItem");
    fakeApi();
    const { result } = renderHook(() => useAuth(), { wrapper: AuthProvider });
    await waitFor(() => expect(result.current.loading).toBe(false));
    const challenge = "s3cret-challenge";
    act(() => {
      const outcome = result.current.acceptLogin({ mfa_required: true, challenge, methods: ["webauthn", "sms", "totp"] });
      // Only the methods the app knows, in its own order.
      expect(outcome).toEqual({ user: null, mfa: { challenge, methods: ["totp", "webauthn"] } });
    });
    expect(result.current).toMatchObject({ user: null, pendingMfa: { challenge } });
    expect(setItem).not.toHaveBeenCalled();
    expect(JSON.stringify(window.history.state ?? null)).not.toContain(challenge);
    const user = { ...ada, first_name: "", last_name: "" };
    act(() => {
      expect(result.current.acceptLogin({ expiry: "2026-11-22T04:00:00Z", user })).toEqual({ user, mfa: null });
    });
    expect(result.current).toMatchObject({ user, pendingMfa: null });
  });

  it("forgets a pending second step on request", async () => {
    fakeApi();
    const { result } = renderHook(() => useAuth(), { wrapper: AuthProvider });
    await waitFor(() => expect(result.current.loading).toBe(false));
    act(() => void result.current.acceptLogin({ mfa_required: true, challenge: "x", methods: ["totp"] }));
    act(() => result.current.forgetPendingMfa());
    expect(result.current.pendingMfa).toBeNull();
  });

  it("refreshUser asks me again: keeps whom it answers, forgets the user on a 401 or no answer", async () => {
    let answer: FakeResponse = { status: 200, data: ada };
    const server = fakeApi({ "GET /auth/me/": () => answer });
    const { result } = renderHook(() => useAuth(), { wrapper: AuthProvider });
    await waitFor(() => expect(result.current.user).toEqual(ada));
    const grace = { ...ada, id: 2, email: "grace@example.com" };
    answer = { status: 200, data: grace };
    await act(() => result.current.refreshUser());
    expect(result.current.user).toEqual(grace);
    answer = { status: 401, data: { code: "authentication_failed", detail: "Invalid or expired token." } };
    await act(() => result.current.refreshUser());
    expect(result.current).toMatchObject({ user: null, loading: false });
    answer = { status: 200, data: ada };
    await act(() => result.current.refreshUser());
    answer = { status: 502 };
    await act(() => result.current.refreshUser());
    expect(result.current.user).toBeNull();
    expect(server.callsTo("GET /auth/me/")).toHaveLength(5);
  });

  it("refuses to be used outside the provider", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(() => render(<Who />)).toThrow("useAuth() must be used inside <AuthProvider>");
  });
});
