import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { ModalDialog } from "./modal-dialog";

function Opener({ onCancel = () => {} }: { onCancel?: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Open
      </button>
      <a href="/elsewhere">A link behind</a>
      {open && (
        <ModalDialog title="Confirm it's you" onCancel={() => {
          onCancel();
          setOpen(false);
        }}>
          <label>
            Password <input type="password" data-autofocus />
          </label>
          <button type="button">First action</button>
          <button type="button" onClick={() => setOpen(false)}>
            Done
          </button>
        </ModalDialog>
      )}
    </>
  );
}

async function openDialog(onCancel?: () => void) {
  const user = userEvent.setup();
  const view = render(<Opener onCancel={onCancel} />);
  await user.click(screen.getByRole("button", { name: "Open" }));
  return { user, view, dialog: screen.getByRole("dialog", { name: "Confirm it's you" }) };
}

describe("ModalDialog", () => {
  it("is a modal dialog named by its heading, with focus moved into it", async () => {
    const { dialog } = await openDialog();
    expect(dialog).toHaveAttribute("aria-modal", "true");
    expect(screen.getByRole("heading", { name: "Confirm it's you" })).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveFocus();
  });

  it("makes the page behind it inert while open, and gives it back", async () => {
    const { user, view } = await openDialog();
    expect(view.container).toHaveAttribute("inert");
    await user.click(screen.getByRole("button", { name: "Done" }));
    expect(view.container).not.toHaveAttribute("inert");
  });

  it("cancels on Escape and returns focus to what opened it", async () => {
    const onCancel = vi.fn();
    const { user } = await openDialog(onCancel);
    await user.keyboard("{Escape}");
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Open" })).toHaveFocus();
  });

  it("keeps Tab inside the dialog, both ways", async () => {
    const { user } = await openDialog();
    await user.tab();
    expect(screen.getByRole("button", { name: "First action" })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole("button", { name: "Done" })).toHaveFocus();
    await user.tab();
    expect(screen.getByLabelText("Password")).toHaveFocus();
    await user.tab({ shift: true });
    expect(screen.getByRole("button", { name: "Done" })).toHaveFocus();
  });

  it("gives focus back to a disabled button once it is enabled again", async () => {
    const user = userEvent.setup();
    function Pending() {
      const [state, setState] = useState<"idle" | "asking" | "sending">("idle");
      const [returnTo, setReturnTo] = useState<HTMLElement | null>(null);
      return (
        <>
          <button type="button" disabled={state !== "idle"} onClick={(event) => {
            setReturnTo(event.currentTarget);
            setState("asking");
          }}>
            Save
          </button>
          {state === "sending" && (
            <button type="button" onClick={() => setState("idle")}>
              Finish request
            </button>
          )}
          {state === "asking" && (
            <ModalDialog title="Confirm it's you" returnFocusTo={returnTo} onCancel={() => setState("idle")}>
              <button type="button" onClick={() => setState("sending")}>
                Confirm
              </button>
            </ModalDialog>
          )}
        </>
      );
    }
    render(<Pending />);
    await user.click(screen.getByRole("button", { name: "Save" }));
    await user.click(screen.getByRole("button", { name: "Confirm" }));
    // The request is still going: the button stays disabled, and focus waits for it.
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
    // Finished without anything else taking focus (a click would focus the button clicked).
    act(() => screen.getByRole("button", { name: "Finish request" }).click());
    await vi.waitFor(() => expect(screen.getByRole("button", { name: "Save" })).toHaveFocus());
  });
});
