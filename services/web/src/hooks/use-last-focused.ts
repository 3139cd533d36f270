// The element that last had focus outside any modal dialog: where a dialog opened by something
// other than a click (an API answer) gives focus back. Read when needed, never rendered.
import { useEffect, useRef } from "react";

export function useLastFocused() {
  const last = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const onFocusIn = (event: FocusEvent) => {
      const target = event.target;
      if (target instanceof HTMLElement && !target.closest('[aria-modal="true"]')) last.current = target;
    };
    document.addEventListener("focusin", onFocusIn);
    return () => document.removeEventListener("focusin", onFocusIn);
  }, []);
  return last;
}
