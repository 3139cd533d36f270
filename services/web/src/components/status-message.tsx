/**
 * A polite live region that is always in the page, so screen readers announce the message
 * when it appears (a region created together with its text is often not read).
 */
export function StatusMessage({ message, className = "notice" }: { message: string | null | undefined; className?: string }) {
  return <div role="status">{message ? <p className={className}>{message}</p> : null}</div>;
}
