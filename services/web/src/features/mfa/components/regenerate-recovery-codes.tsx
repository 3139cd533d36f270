import { useState } from "react";
import { useSubmit } from "../../../hooks/use-submit";
import { errorMessage } from "../../../lib/error-message";
import { useTranslation } from "../../../lib/use-translation";
import { regenerateRecoveryCodes } from "../api/regenerate-recovery-codes";
import { RecoveryCodesPanel } from "./recovery-codes-panel";

/**
 * "Regenerate recovery codes", after a confirmation (the old set dies at once), then the new set
 * shown once. onRegenerated() refreshes the count.
 */
export function RegenerateRecoveryCodes({ onRegenerated }: { onRegenerated: () => void }) {
  // "asked": the confirmation is up; "back": it was dismissed, so focus returns to the button.
  const { t } = useTranslation("mfa", { keyPrefix: "regenerate" });
  const [step, setStep] = useState<"idle" | "asked" | "back">("idle");
  const [codes, setCodes] = useState<string[] | null>(null);
  const regenerate = useSubmit(regenerateRecoveryCodes);

  async function confirm() {
    const result = await regenerate.submit();
    if (!result.ok) return;
    setStep("idle");
    setCodes(result.data.recovery_codes);
    onRegenerated();
  }

  if (codes) return <RecoveryCodesPanel title={t("title")} codes={codes} onDone={() => setCodes(null)} />;
  return (
    <>
      {regenerate.error && (
        <p className="form-error" role="alert">
          {errorMessage(regenerate.error)}
        </p>
      )}
      {step === "asked" ? (
        <div className="confirm" role="group" aria-label={t("question")}>
          <p>{t("explanation")}</p>
          <div className="actions">
            <button type="button" className="danger" autoFocus onClick={() => void confirm()} disabled={regenerate.pending}
              aria-busy={regenerate.pending || undefined}>
              {t("confirm")}
            </button>
            <button type="button" className="secondary" onClick={() => setStep("back")} disabled={regenerate.pending}>
              {t("keep")}
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button type="button" className="secondary" autoFocus={step === "back"} onClick={() => setStep("asked")}>
            {t("button")}
          </button>
        </div>
      )}
    </>
  );
}
