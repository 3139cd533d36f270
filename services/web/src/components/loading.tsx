import { errorMessage } from "../lib/error-message";
import type { ApiError } from "../lib/api-client";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="loading" role="status">
      {label}
    </p>
  );
}

/** A load that failed (hooks/use-load): what could not be loaded, why, and a retry. */
export function LoadFailed({ what, error, retry }: { what: string; error: ApiError; retry: () => void }) {
  return (
    <div className="form-error" role="alert">
      <p>
        Could not load {what}. {errorMessage(error)}
      </p>
      <button type="button" className="secondary" onClick={retry}>
        Try again
      </button>
    </div>
  );
}
