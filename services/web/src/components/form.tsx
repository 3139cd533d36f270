import { useEffect, useRef, type FormEventHandler, type FormHTMLAttributes, type ReactNode } from "react";
import type { ApiError } from "../lib/api-client";

export interface FormProps extends Omit<FormHTMLAttributes<HTMLFormElement>, "onSubmit"> {
  onSubmit: FormEventHandler<HTMLFormElement>;
  error: ApiError | null;
  message: string | null;
  children?: ReactNode;
}

/**
 * A real <form> (Enter submits it) with a form-level message announced as an alert.
 * `error` is the API error of the last submit (a new object each time) and `message` the
 * sentence shown for it. After a failed submit, focus moves to the first invalid field, or to
 * the alert if no field is marked, so keyboard and screen-reader users land on the problem.
 */
export function Form({ onSubmit, error, message, children, ...formProps }: FormProps) {
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (!error) return;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid ?? alertRef.current)?.focus();
  }, [error]);

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate {...formProps}>
      {message && (
        <p className="form-error" role="alert" tabIndex={-1} ref={alertRef}>
          {message}
        </p>
      )}
      {children}
    </form>
  );
}
