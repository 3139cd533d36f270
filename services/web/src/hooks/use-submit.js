// Sends a form to the API: one request at a time, and the API's error kept for display.
import { useCallback, useRef, useState } from "react";

export function useSubmit(action) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState(null);
  const inFlight = useRef(false);

  const submit = useCallback(
    async (...args) => {
      // A double click or Enter pressed twice must not send a second request.
      if (inFlight.current) return { ok: false, skipped: true };
      inFlight.current = true;
      setPending(true);
      setError(null);
      try {
        return { ok: true, data: await action(...args) };
      } catch (caught) {
        setError(caught);
        return { ok: false, error: caught };
      } finally {
        inFlight.current = false;
        setPending(false);
      }
    },
    [action],
  );

  return { submit, pending, error, fieldErrors: error?.fields ?? {} };
}
