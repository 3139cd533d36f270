/**
 * A string this app put into the router's location state (e.g. {email} for /check-email), or
 * undefined. History state survives reloads and is anyone's to write, so it is checked.
 */
export function stateString(state: unknown, key: string): string | undefined {
  if (!state || typeof state !== "object") return undefined;
  const value: unknown = new Map(Object.entries(state)).get(key);
  return typeof value === "string" ? value : undefined;
}
