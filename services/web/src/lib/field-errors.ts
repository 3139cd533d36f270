import type { ApiError, FieldErrors } from "./api-client";
import { codeMessage } from "./error-message";

/**
 * The API's field errors, plus the error's message under `field` when its code is `code`:
 * e.g. 400 invalid_password has no `fields`, but its message belongs next to the password input.
 */
export function fieldErrorsWith(error: ApiError | null | undefined, code: string, field: string): FieldErrors {
  const fields = error?.fields ?? {};
  if (!error || error.code !== code) return fields;
  // Only the API's own keys count: a field name never reads through to Object.prototype.
  const existing = new Map(Object.entries(fields)).get(field) ?? [];
  return { ...fields, [field]: [...existing, codeMessage(error)] };
}
