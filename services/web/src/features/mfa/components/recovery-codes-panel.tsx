import type { TFunction } from "i18next";
import { useEffect, useId, useRef } from "react";
import { RichText } from "../../../components/rich-text";
import { downloadFile } from "../../../lib/download-file";
import { i18n } from "../../../lib/i18n";
import { useTranslation } from "../../../lib/use-translation";

export const RECOVERY_CODES_FILE = "recovery-codes.txt";

/**
 * The text file "Download codes" saves: the codes, one a line, and what they are for, in the
 * page's language (`t`); the date as YYYY-MM-DD, which reads the same in every language.
 */
export function recoveryCodesText(
  codes: readonly string[],
  now: Date = new Date(),
  t: TFunction<"mfa", "recoveryCodes"> = i18n.getFixedT(null, "mfa", "recoveryCodes"),
): string {
  return [
    t("fileTitle"),
    t("fileMade", { date: now.toISOString().slice(0, 10) }),
    t("fileUse"),
    "",
    ...codes,
    "",
  ].join("\n");
}

/** Saves the codes as a file, made in the browser (a Blob): they never leave it. */
function download(codes: readonly string[], t: TFunction<"mfa", "recoveryCodes">) {
  downloadFile(RECOVERY_CODES_FILE, recoveryCodesText(codes, new Date(), t), "text/plain;charset=utf-8");
}

interface RecoveryCodesPanelProps {
  codes: readonly string[];
  /** What just happened, e.g. "The authenticator app is on." */
  title: string;
  onDone: () => void;
}

/**
 * Fresh recovery codes, shown this once (the API keeps only their hashes): the list, a download,
 * and "I have saved them", which hides them for good.
 */
export function RecoveryCodesPanel({ codes, title, onDone }: RecoveryCodesPanelProps) {
  const { t } = useTranslation("mfa", { keyPrefix: "recoveryCodes" });
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The button that made them is gone: land on the codes, so they are read out first.
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <section className="recovery-codes" aria-labelledby={headingId}>
      <h3 id={headingId} tabIndex={-1} ref={headingRef}>
        {title}
      </h3>
      <p>
        <RichText text={t("save")} elements={{ strong: <strong /> }} />
      </p>
      <ul className="codes" aria-label={t("list")}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => download(codes, t)}>
          {t("download")}
        </button>
        <button type="button" onClick={onDone}>
          {t("done")}
        </button>
      </div>
    </section>
  );
}
