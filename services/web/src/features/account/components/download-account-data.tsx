import { useId } from "react";
import { useSubmit } from "../../../hooks/use-submit";
import type { ApiError } from "../../../lib/api-client";
import { downloadFile } from "../../../lib/download-file";
import { errorMessage } from "../../../lib/error-message";
import { exportAccountData } from "../api/export-account-data";

export const ACCOUNT_DATA_FILE = "account-data.json";

/** Why the download failed; a cancelled "Confirm it's you" in words that fit a download. */
function failure(error: ApiError): string {
  if (error.code === "reauthentication_required") {
    return "For your security, confirm it's you before downloading your data. Try again and confirm when asked.";
  }
  return errorMessage(error) ?? "";
}

/** A document that is not an object or array (an HTML error page, say) is not the export. */
async function fetchAndSave(): Promise<void> {
  const data = await exportAccountData();
  if (!data || typeof data !== "object") throw new Error("The export is not a JSON document.");
  downloadFile(ACCOUNT_DATA_FILE, `${JSON.stringify(data, null, 2)}\n`, "application/json");
}

/** "Download my data": everything the account holds, fetched from the API and saved as JSON. */
export function DownloadAccountData() {
  const headingId = useId();
  const { submit, pending, error } = useSubmit(fetchAndSave);
  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>Download my data</h2>
      <p className="hint">
        A copy of everything your account holds, as a JSON file ({ACCOUNT_DATA_FILE}). You may be asked to confirm it&apos;s
        you first.
      </p>
      {error && (
        <p className="form-error" role="alert">
          Could not download your data. {failure(error)}
        </p>
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void submit()} disabled={pending}
          aria-busy={pending || undefined}>
          Download my data
        </button>
      </div>
    </section>
  );
}
