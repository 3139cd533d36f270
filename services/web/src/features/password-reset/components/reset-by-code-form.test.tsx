import { screen, waitFor } from "@testing-library/react";
import { Route } from "react-router-dom";
import { describe, expect, it, vi } from "vitest";
import { deferred, fakeApi } from "../../../testing/fake-api";
import { renderRoutes } from "../../../testing/render-routes";
import { ResetByCodeForm } from "./reset-by-code-form";

function renderForm(initialEmail?: string) {
  const onReset = vi.fn();
  const app = renderRoutes(
    <Route path="/reset-password/code" element={<ResetByCodeForm initialEmail={initialEmail} onReset={onReset} />} />,
    "/reset-password/code",
  );
  return { ...app, onReset };
}

describe("ResetByCodeForm", () => {
  it("sends email, code and new password, then says the password is reset", async () => {
    const reply = deferred();
    const server = fakeApi({ "POST /auth/password/reset/confirm/": () => reply.promise });
    const { user, onReset } = renderForm("ada@example.com");
    expect(screen.getByLabelText("Email")).toHaveValue("ada@example.com");
    await user.type(screen.getByLabelText("Code"), "123 456");
    await user.type(screen.getByLabelText("New password"), "a brand new passphrase");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    expect(screen.getByRole("button", { name: "Set new password" })).toBeDisabled();
    reply.resolve({ status: 200, data: { detail: "Your password has been reset. You can log in now." } });
    expect(await screen.findByRole("heading", { name: "Password reset" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Log in" })).toHaveAttribute("href", "/login");
    expect(server.callsTo("POST /auth/password/reset/confirm/")[0]?.body).toEqual({
      email: "ada@example.com",
      code: "123456",
      new_password: "a brand new passphrase",
    });
    expect(onReset).toHaveBeenCalledTimes(1);
  });

  it("shows invalid_reset as an alert and keeps everything typed", async () => {
    fakeApi({
      "POST /auth/password/reset/confirm/": {
        status: 400,
        data: { code: "invalid_reset", detail: "This reset link or code is invalid or has expired." },
      },
    });
    const { user, onReset } = renderForm();
    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Code"), "000000");
    await user.type(screen.getByLabelText("New password"), "a brand new passphrase{Enter}");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("This reset link or code is invalid or has expired.");
    await waitFor(() => expect(alert).toHaveFocus());
    expect(screen.getByLabelText("Email")).toHaveValue("ada@example.com");
    expect(screen.getByLabelText("Code")).toHaveValue("000000");
    expect(screen.getByLabelText("New password")).toHaveValue("a brand new passphrase");
    expect(screen.queryByRole("heading", { name: "Password reset" })).not.toBeInTheDocument();
    expect(onReset).not.toHaveBeenCalled();
  });

  it("shows field errors next to the code", async () => {
    fakeApi({
      "POST /auth/password/reset/confirm/": {
        status: 400,
        data: { code: "validation_error", detail: "Some fields are invalid.", fields: { code: ["Enter the 6-digit code."] } },
      },
    });
    const { user } = renderForm("ada@example.com");
    await user.type(screen.getByLabelText("Code"), "12{Enter}");
    await waitFor(() => expect(screen.getByLabelText("Code")).toHaveAccessibleDescription("Enter the 6-digit code."));
  });
});
