// Sends a form to the API: one request at a time, and the API's error kept for display.
import { useCallback, useRef, useState } from "react";
import { asApiError, type ApiError, type FieldErrors } from "../lib/api-client";

export type SubmitResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: ApiError; skipped?: false }
  | { ok: false; skipped: true; error?: undefined };

export function useSubmit<Args extends unknown[], T>(action: (...args: Args) => Promise<T>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const inFlight = useRef(false);

  const submit = useCallback(
    async (...args: Args): Promise<SubmitResult<T>> => {
      // A double click or Enter pressed twice must not send a second request.
      if (inFlight.current) return { ok: false, skipped: true };
      inFlight.current = true;
      setPending(true);
      setError(null);
      try {
        return { ok: true, data: await action(...args) };
      } catch (caught) {
        const apiError = asApiError(caught);
        setError(apiError);
        return { ok: false, error: apiError };
      } finally {
        inFlight.current = false;
        setPending(false);
      }
    },
    [action],
  );

  const fieldErrors: FieldErrors = error?.fields ?? {};
  return { submit, pending, error, fieldErrors };
}
