/** `value` when it is there; otherwise the test fails here, naming what was missing. */
export function defined<T>(value: T | null | undefined, what = "the value"): T {
  if (value === null || value === undefined) throw new Error(`expected ${what} to exist`);
  return value;
}
