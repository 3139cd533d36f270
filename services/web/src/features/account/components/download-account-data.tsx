import { useId } from "react";
import { useSubmit } from "../../../hooks/use-submit";
import type { ApiError } from "../../../lib/api-client";
import { downloadFile } from "../../../lib/download-file";
import { errorMessage } from "../../../lib/error-message";
import { useTranslation } from "../../../lib/use-translation";
import { exportAccountData } from "../api/export-account-data";

export const ACCOUNT_DATA_FILE = "account-data.json";

/** A document that is not an object or array (an HTML error page, say) is not the export. */
async function fetchAndSave(): Promise<void> {
  const data = await exportAccountData();
  if (!data || typeof data !== "object") throw new Error("The export is not a JSON document.");
  downloadFile(ACCOUNT_DATA_FILE, `${JSON.stringify(data, null, 2)}\n`, "application/json");
}

/** "Download my data": everything the account holds, fetched from the API and saved as JSON. */
export function DownloadAccountData() {
  const { t } = useTranslation("account", { keyPrefix: "downloadData" });
  const headingId = useId();
  const { submit, pending, error } = useSubmit(fetchAndSave);
  // A cancelled "Confirm it's you" in words that fit a download.
  const failure = (problem: ApiError) =>
    problem.code === "reauthentication_required" ? t("reauthenticationRequired") : (errorMessage(problem) ?? "");
  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("title")}</h2>
      <p className="hint">{t("hint", { file: ACCOUNT_DATA_FILE })}</p>
      {error && (
        <p className="form-error" role="alert">
          {t("failed")} {failure(error)}
        </p>
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void submit()} disabled={pending}
          aria-busy={pending || undefined}>
          {t("button")}
        </button>
      </div>
    </section>
  );
}
