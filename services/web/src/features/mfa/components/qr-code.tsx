import { useEffect, useState } from "react";
import { useTranslation } from "../../../lib/use-translation";

/**
 * `value` (an otpauth:// URI) as a QR code, drawn here in the browser: the secret it holds never
 * goes to a QR service. The library is loaded on first use; the SVG it writes is shown as an
 * <img> from a data: URL, which the gateway's CSP allows (img-src 'self' data:) and which cannot
 * run script.
 */
export function QrCode({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation("mfa", { keyPrefix: "qrCode" });
  const [drawn, setDrawn] = useState<{ value: string; src: string } | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let current = true;
    void (async () => {
      try {
        const { toString } = await import("qrcode");
        const svg = await toString(value, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
        if (current) setDrawn({ value, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` });
      } catch {
        if (current) setFailed(true);
      }
    })();
    return () => {
      current = false;
    };
  }, [value]);

  if (failed) return <p className="hint">{t("failed")}</p>;
  if (drawn?.value !== value) return <p className="loading">{t("drawing")}</p>;
  return <img className="qr-code" src={drawn.src} alt={label} width={192} height={192} />;
}
