// Submitting a form to the API: one request at a time, and the API's errors ready to show.
import { useCallback, useState } from "react";

export function describeError(error) {
  if (error?.status === 429) {
    const wait = error.retryAfter ?? 60;
    return `Too many attempts. Try again in ${wait} seconds.`;
  }
  if (error?.code === "validation_error") {
    return error.fields?.non_field_errors?.[0] ?? "Please correct the highlighted fields.";
  }
  return error?.detail ?? "Something went wrong. Please try again.";
}

export function useSubmit(action) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState(null);

  const submit = useCallback(
    async (...args) => {
      setPending(true);
      setError(null);
      try {
        return { ok: true, data: await action(...args) };
      } catch (caught) {
        setError(caught);
        return { ok: false };
      } finally {
        setPending(false);
      }
    },
    [action],
  );

  return {
    submit,
    pending,
    error,
    fieldErrors: error?.fields ?? {},
    formError: error ? describeError(error) : null,
  };
}
