import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { ApiError } from "../lib/api-client";
import { deferred } from "../testing/fake-api";
import { useForm, type SubmitHandlers } from "./use-form";

type Values = { email: string; password: string };
type Action = (values: Values) => Promise<{ detail: string }>;

const refused: ApiError = {
  status: 400,
  code: "validation_error",
  detail: "Some fields are invalid.",
  fields: { email: ["Enter a valid email address."] },
  retryAfter: null,
};

function Probe({ action, handlers }: { action: Action; handlers: SubmitHandlers<Values, { detail: string }> }) {
  const { values, change, handleSubmit, pending, error, fieldErrors } = useForm({ email: "", password: "" }, action);
  return (
    <form aria-label="probe" onSubmit={handleSubmit(handlers)}>
      <input aria-label="Email" name="email" value={values.email} onChange={change} />
      <input aria-label="Password" name="password" value={values.password} onChange={change} />
      <button type="submit" disabled={pending}>
        Send
      </button>
      <p data-testid="error">{error?.detail ?? ""}</p>
      <p data-testid="email-errors">{(fieldErrors.email ?? []).join(" ")}</p>
    </form>
  );
}

function renderProbe(action: Action, handlers: SubmitHandlers<Values, { detail: string }> = {}) {
  const user = userEvent.setup();
  render(<Probe action={action} handlers={handlers} />);
  return user;
}

describe("useForm", () => {
  it("keeps one value per input name, each input changing only its own", async () => {
    const user = renderProbe(vi.fn());
    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "pw");
    expect(screen.getByLabelText("Email")).toHaveValue("ada@example.com");
    expect(screen.getByLabelText("Password")).toHaveValue("pw");
  });

  it("sends the values once, pending meanwhile, then calls onStart before and onSuccess after", async () => {
    const reply = deferred<{ detail: string }>();
    const order: string[] = [];
    const action = vi.fn<Action>(() => {
      order.push("action");
      return reply.promise;
    });
    const onSuccess = vi.fn(() => order.push("success"));
    const user = renderProbe(action, { onStart: () => order.push("start"), onSuccess });
    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.click(screen.getByRole("button", { name: "Send" }));
    expect(screen.getByRole("button", { name: "Send" })).toBeDisabled();
    // Enter again while the request is in flight: nothing more is sent.
    await user.type(screen.getByLabelText("Password"), "{Enter}");
    expect(action).toHaveBeenCalledTimes(1);
    await act(async () => reply.resolve({ detail: "Done." }));
    expect(onSuccess).toHaveBeenCalledWith({ detail: "Done." }, { email: "ada@example.com", password: "" });
    expect(order).toEqual(["start", "action", "success"]);
    expect(action).toHaveBeenCalledWith({ email: "ada@example.com", password: "" });
    expect(screen.getByRole("button", { name: "Send" })).toBeEnabled();
  });

  it("keeps what was typed after a refusal, with the API's error and field errors, and calls onError", async () => {
    const onSuccess = vi.fn();
    const onError = vi.fn();
    const user = renderProbe(() => Promise.reject(refused), { onSuccess, onError });
    await user.type(screen.getByLabelText("Email"), "nope{Enter}");
    await waitFor(() => expect(screen.getByTestId("error")).toHaveTextContent("Some fields are invalid."));
    expect(screen.getByTestId("email-errors")).toHaveTextContent("Enter a valid email address.");
    expect(screen.getByLabelText("Email")).toHaveValue("nope");
    expect(onError).toHaveBeenCalledWith(refused);
    expect(onSuccess).not.toHaveBeenCalled();
  });

  it("clears the last error when it sends again", async () => {
    let refuse = true;
    const user = renderProbe(() => (refuse ? Promise.reject(refused) : Promise.resolve({ detail: "ok" })));
    await user.type(screen.getByLabelText("Email"), "nope{Enter}");
    await waitFor(() => expect(screen.getByTestId("error")).toHaveTextContent("Some fields are invalid."));
    refuse = false;
    await user.click(screen.getByRole("button", { name: "Send" }));
    await waitFor(() => expect(screen.getByTestId("error")).toHaveTextContent(""));
    expect(screen.getByTestId("email-errors")).toHaveTextContent("");
  });

  it("reports a failure that is not an API error as a generic one", async () => {
    const onError = vi.fn();
    const user = renderProbe(() => Promise.reject(new TypeError("a bug")), { onError });
    await user.click(screen.getByRole("button", { name: "Send" }));
    await waitFor(() => expect(screen.getByTestId("error")).toHaveTextContent("Something went wrong. Please try again."));
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: "error" }));
  });
});
