// Loads something when a component appears (and again when what it loads changes), with a
// retry: the shared "Loading… / Could not load. Try again / the data" pattern.
import { useCallback, useEffect, useRef, useState } from "react";
import { asApiError, type ApiError } from "../lib/api-client";

export type LoadState<T> =
  | { status: "loading"; data: T | null; error: null }
  | { status: "ready"; data: T; error: null }
  | { status: "failed"; data: T | null; error: ApiError };

export interface LoadOptions {
  /**
   * reload() keeps showing the current state (the data, or the failure) until the answer comes,
   * instead of going back to "loading": for refreshing a list after a change.
   */
  quiet?: boolean;
}

/**
 * Runs `load` once per `load` function: pass a stable one (useCallback with what it depends on),
 * and a new function means a new load. StrictMode's second effect run does not send it again, so
 * a load that spends something (an email link's key) happens once. Only the latest load's answer
 * counts, so a slow earlier answer never replaces a newer one. The data survives a reload and a
 * failed reload; setData() changes it in place (e.g. with what a PATCH returned).
 */
export function useLoad<T>(load: () => Promise<T>, { quiet = false }: LoadOptions = {}) {
  const [state, setState] = useState<LoadState<T>>({ status: "loading", data: null, error: null });
  const loadedFor = useRef<(() => Promise<T>) | null>(null);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    latest.current += 1;
    const call = latest.current;
    if (!quiet) setState((current) => ({ status: "loading", data: current.data, error: null }));
    try {
      const data = await load();
      if (call === latest.current) setState({ status: "ready", data, error: null });
    } catch (caught) {
      const error = asApiError(caught);
      if (call === latest.current) setState((current) => ({ status: "failed", data: current.data, error }));
    }
  }, [load, quiet]);

  useEffect(() => {
    if (loadedFor.current === load) return;
    loadedFor.current = load;
    void reload();
  }, [load, reload]);

  /** Replaces the loaded data, e.g. one row with what the API answered to a change. */
  const setData = useCallback((update: (data: T) => T) => {
    setState((current) => (current.data === null ? current : { ...current, data: update(current.data) }));
  }, []);

  return { ...state, reload, setData };
}
