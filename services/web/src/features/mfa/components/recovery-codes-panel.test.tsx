import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { recoveryCodes } from "../../../testing/mfa-fixtures";
import { RecoveryCodesPanel, recoveryCodesText } from "./recovery-codes-panel";

describe("recoveryCodesText", () => {
  it("is the codes one a line, under what they are for", () => {
    const text = recoveryCodesText(["AAAA-BBBB-CCCC", "DDDD-EEEE-FFFF"], new Date("2026-11-21T18:00:00Z"));
    expect(text.split("\n")).toEqual([
      "Auth Platform recovery codes",
      "Made on 2026-11-21. Each code works once; a new set replaces this one.",
      "Use one to sign in if you lose your authenticator app, passkey or security key.",
      "",
      "AAAA-BBBB-CCCC",
      "DDDD-EEEE-FFFF",
      "",
    ]);
  });
});

describe("RecoveryCodesPanel", () => {
  it("lists the codes, says they are shown once, and hides them on request", async () => {
    const onDone = vi.fn();
    render(<RecoveryCodesPanel title="Your new recovery codes" codes={recoveryCodes} onDone={onDone} />);
    expect(screen.getAllByRole("listitem")).toHaveLength(10);
    expect(screen.getByText("They are shown only now.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "I have saved them" }));
    expect(onDone).toHaveBeenCalledTimes(1);
  });
});
