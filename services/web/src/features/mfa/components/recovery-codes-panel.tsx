import { useEffect, useId, useRef } from "react";
import { downloadFile } from "../../../lib/download-file";

export const RECOVERY_CODES_FILE = "recovery-codes.txt";

/** The text file "Download codes" saves: the codes, one a line, and what they are for. */
export function recoveryCodesText(codes: readonly string[], now: Date = new Date()): string {
  return [
    "Auth Platform recovery codes",
    `Made on ${now.toISOString().slice(0, 10)}. Each code works once; a new set replaces this one.`,
    "Use one to sign in if you lose your authenticator app, passkey or security key.",
    "",
    ...codes,
    "",
  ].join("\n");
}

/** Saves the codes as a file, made in the browser (a Blob): they never leave it. */
function download(codes: readonly string[]) {
  downloadFile(RECOVERY_CODES_FILE, recoveryCodesText(codes), "text/plain;charset=utf-8");
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
        Save these recovery codes somewhere safe, such as a password manager. If you lose your second factor, each code
        signs you in once. <strong>They are shown only now.</strong>
      </p>
      <ul className="codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => download(codes)}>
          Download codes
        </button>
        <button type="button" onClick={onDone}>
          I have saved them
        </button>
      </div>
    </section>
  );
}
