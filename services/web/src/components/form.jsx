import { useEffect, useRef } from "react";

/**
 * A real <form> (Enter submits it) with a form-level message announced as an alert.
 * `error` is the API error of the last submit (a new object each time) and `message` the
 * sentence shown for it. After a failed submit, focus moves to the first invalid field, or to
 * the alert if no field is marked, so keyboard and screen-reader users land on the problem.
 */
export function Form({ onSubmit, error, message, children, ...formProps }) {
  const formRef = useRef(null);
  const alertRef = useRef(null);

  useEffect(() => {
    if (!error) return;
    const invalid = formRef.current?.querySelector('[aria-invalid="true"]');
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
