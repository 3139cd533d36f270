// A form's state: its values (one per named input), the change handler every input shares, and
// the submit through useSubmit (one request at a time, the API's error kept for display).
import { useCallback, useState, type ChangeEvent, type FormEvent } from "react";
import type { ApiError } from "../lib/api-client";
import { useSubmit, type SubmitResult } from "./use-submit";

/** One string per input (or select), keyed by its `name`. */
export type FormValues = Record<string, string>;

export interface SubmitHandlers<V, T> {
  /** Before the request: e.g. clear the message of the last success. */
  onStart?: () => void;
  /** After a 2xx, with the answer and the values that were sent. */
  onSuccess?: (data: T, sent: V) => void;
  /** After a refusal or a failure (the error is also in `error`). */
  onError?: (error: ApiError) => void;
}

/**
 * `initial` are the starting values; `action(values)` sends them (keep it stable: a module-level
 * function or a useCallback). Inputs take `value={values.x}`, `name="x"` and `onChange={change}`;
 * the <form> takes `onSubmit={handleSubmit({...})}`. What was typed stays after an error.
 */
export function useForm<V extends FormValues, T>(initial: V | (() => V), action: (values: V) => Promise<T>) {
  const [values, setValues] = useState<V>(initial);
  const { submit, pending, error, fieldErrors } = useSubmit(action);

  const change = useCallback((event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    const { name, value } = event.target;
    setValues((current) => ({ ...current, [name]: value }));
  }, []);

  const handleSubmit =
    ({ onStart, onSuccess, onError }: SubmitHandlers<V, T> = {}) =>
    async (event: FormEvent<HTMLFormElement>): Promise<SubmitResult<T>> => {
      event.preventDefault();
      onStart?.();
      const sent = values;
      const result = await submit(sent);
      if (result.ok) onSuccess?.(result.data, sent);
      else if (result.error) onError?.(result.error);
      return result;
    };

  return { values, setValues, change, handleSubmit, pending, error, fieldErrors };
}
