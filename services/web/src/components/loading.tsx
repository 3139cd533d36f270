import { errorMessage } from "../lib/error-message";
import type { ApiError } from "../lib/api-client";
import { useTranslation } from "../lib/use-translation";

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {label ?? t("loading")}
    </p>
  );
}

/**
 * A load that failed (hooks/use-load): what could not be loaded (`message`, a sentence such as
 * "Could not load your sessions."), why, and a retry.
 */
export function LoadFailed({ message, error, retry }: { message: string; error: ApiError; retry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="form-error" role="alert">
      <p>
        {message} {errorMessage(error)}
      </p>
      <button type="button" className="secondary" onClick={retry}>
        {t("tryAgain")}
      </button>
    </div>
  );
}
