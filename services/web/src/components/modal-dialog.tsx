import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from "react";
import { createPortal } from "react-dom";

const FOCUSABLE = [
  "a[href]",
  "button:not([disabled])",
  "input:not([disabled])",
  "select:not([disabled])",
  "textarea:not([disabled])",
  '[tabindex]:not([tabindex="-1"])',
].join(", ");

/**
 * Gives focus back to `target` when the dialog closes. A submit button is disabled while its
 * request is pending (and a request retried after the dialog still is): then it gets focus as
 * soon as it is enabled again, unless something else took focus meanwhile (e.g. <Form> moving
 * it to an error).
 */
function restoreFocus(target: HTMLElement | null) {
  if (!target?.isConnected) return;
  if (!target.matches(":disabled")) {
    target.focus();
    return;
  }
  const observer = new MutationObserver(() => {
    if (target.matches(":disabled")) return;
    stop();
    const active = document.activeElement;
    if (target.isConnected && (active === null || active === document.body)) target.focus();
  });
  const timer = window.setTimeout(() => observer.disconnect(), 60_000);
  const stop = () => {
    observer.disconnect();
    window.clearTimeout(timer);
  };
  observer.observe(target, { attributes: true, attributeFilter: ["disabled"] });
}

export interface ModalDialogProps {
  title: string;
  /** Escape, or the dialog's own cancel button: the caller closes it. */
  onCancel: () => void;
  /** Where focus goes when the dialog closes; by default, what had it when the dialog opened. */
  returnFocusTo?: HTMLElement | null;
  children?: ReactNode;
}

/**
 * A modal dialog (role="dialog", aria-modal, named by its heading) over the whole page. While it
 * is open, the rest of the page is `inert` (no clicks, no focus, hidden from assistive tech),
 * Tab cycles inside it and Escape calls onCancel. Focus moves into it (the element marked
 * data-autofocus, else the first focusable one) and goes back when it closes.
 */
export function ModalDialog({ title, onCancel, returnFocusTo, children }: ModalDialogProps) {
  const titleId = useId();
  const backdropRef = useRef<HTMLDivElement>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  // Where focus was when the dialog opened: fixed for the dialog's life.
  const returnTo = useRef(returnFocusTo);

  useEffect(() => {
    const backdrop = backdropRef.current;
    const dialog = dialogRef.current;
    if (!backdrop || !dialog) return;
    const back = returnTo.current ?? (document.activeElement instanceof HTMLElement ? document.activeElement : null);
    const outside = Array.from(document.body.children).filter((element) => element !== backdrop && !element.hasAttribute("inert"));
    outside.forEach((element) => element.setAttribute("inert", ""));
    (dialog.querySelector<HTMLElement>("[data-autofocus]") ?? dialog.querySelector<HTMLElement>(FOCUSABLE) ?? dialog).focus();
    return () => {
      outside.forEach((element) => element.removeAttribute("inert"));
      restoreFocus(back);
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
      return;
    }
    if (event.key !== "Tab" || !dialogRef.current) return;
    const items = Array.from(dialogRef.current.querySelectorAll<HTMLElement>(FOCUSABLE));
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) {
      event.preventDefault();
      return;
    }
    if (event.shiftKey && (document.activeElement === first || document.activeElement === dialogRef.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return createPortal(
    <div className="modal-backdrop" ref={backdropRef}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1}
        ref={dialogRef} onKeyDown={onKeyDown}>
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>,
    document.body,
  );
}
