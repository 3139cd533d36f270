import { act, renderHook, waitFor } from "@testing-library/react";
import { StrictMode, type ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";
import type { ApiError } from "../lib/api-client";
import { deferred } from "../testing/fake-api";
import { useLoad } from "./use-load";

const strict = ({ children }: { children: ReactNode }) => <StrictMode>{children}</StrictMode>;
const down: ApiError = { status: 503, code: "service_unavailable", detail: "Down.", fields: {}, retryAfter: null };

describe("useLoad", () => {
  it("loads once when it appears, even under StrictMode, and gives the data", async () => {
    const load = vi.fn(async () => ["a", "b"]);
    const { result } = renderHook(() => useLoad(load), { wrapper: strict });
    expect(result.current).toMatchObject({ status: "loading", data: null, error: null });
    await waitFor(() => expect(result.current.status).toBe("ready"));
    expect(result.current.data).toEqual(["a", "b"]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("keeps the API's error on a failure, and reload() tries again", async () => {
    let attempts = 0;
    const load = vi.fn(async () => {
      attempts += 1;
      if (attempts === 1) throw down;
      return "fine";
    });
    const { result } = renderHook(() => useLoad(load), { wrapper: strict });
    await waitFor(() => expect(result.current.status).toBe("failed"));
    expect(result.current.error).toEqual(down);
    await act(() => result.current.reload());
    expect(result.current).toMatchObject({ status: "ready", data: "fine", error: null });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("turns a failure that is not an API error into a generic one", async () => {
    const load = vi.fn(async () => {
      throw new TypeError("a bug");
    });
    const { result } = renderHook(() => useLoad(load));
    await waitFor(() => expect(result.current.status).toBe("failed"));
    expect(result.current.error).toMatchObject({ code: "error", detail: "Something went wrong. Please try again." });
  });

  it("loads again for a new load function, and an older slow answer never replaces the newer one", async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const loads = { one: () => first.promise, two: () => second.promise };
    const { result, rerender } = renderHook(({ load }) => useLoad(load), { initialProps: { load: loads.one } });
    rerender({ load: loads.two });
    await act(async () => second.resolve("page 2"));
    expect(result.current.data).toBe("page 2");
    await act(async () => first.resolve("page 1"));
    expect(result.current).toMatchObject({ status: "ready", data: "page 2" });
  });

  it("shows loading again on reload, keeping the data, unless it is quiet", async () => {
    let answer = deferred<string>();
    const load = () => answer.promise;
    const loud = renderHook(() => useLoad(load));
    await act(async () => answer.resolve("old"));
    answer = deferred<string>();
    let reloading: Promise<void> = Promise.resolve();
    act(() => {
      reloading = loud.result.current.reload();
    });
    expect(loud.result.current).toMatchObject({ status: "loading", data: "old" });
    await act(async () => {
      answer.resolve("new");
      await reloading;
    });
    expect(loud.result.current).toMatchObject({ status: "ready", data: "new" });

    answer = deferred<string>();
    const quiet = renderHook(() => useLoad(load, { quiet: true }));
    await act(async () => answer.resolve("old"));
    answer = deferred<string>();
    act(() => {
      reloading = quiet.result.current.reload();
    });
    expect(quiet.result.current).toMatchObject({ status: "ready", data: "old" });
    await act(async () => {
      answer.resolve("new");
      await reloading;
    });
    expect(quiet.result.current).toMatchObject({ status: "ready", data: "new" });
  });

  it("lets the data be changed in place", async () => {
    const load = async () => ({ rows: [1, 2] });
    const { result } = renderHook(() => useLoad(load));
    await waitFor(() => expect(result.current.status).toBe("ready"));
    act(() => result.current.setData((data) => ({ rows: [...data.rows, 3] })));
    expect(result.current.data).toEqual({ rows: [1, 2, 3] });
  });
});
