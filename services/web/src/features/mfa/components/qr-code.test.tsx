import { render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { QrCode } from "./qr-code";

const srcOf = async () => (await screen.findByRole("img", { name: "QR" })).getAttribute("src") ?? "";

describe("QrCode", () => {
  it("draws the value as an SVG image in the page itself", async () => {
    const view = render(<QrCode value="otpauth://totp/A:ada?secret=AAAA&issuer=A" label="QR" />);
    expect(screen.getByText("Drawing the QR code…")).toBeInTheDocument();
    const first = await srcOf();
    expect(first).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    // Another value, another picture (never the old one meanwhile).
    view.rerender(<QrCode value="otpauth://totp/A:bob?secret=BBBB&issuer=A" label="QR" />);
    await waitFor(async () => expect(await srcOf()).not.toBe(first));
  });
});
