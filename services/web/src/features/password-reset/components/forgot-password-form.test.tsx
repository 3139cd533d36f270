import { screen, waitFor } from "@testing-library/react";
import { Route, useLocation } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { deferred, fakeApi, type FakeResponse } from "../../../testing/fake-api";
import { renderRoutes } from "../../../testing/render-routes";
import { ForgotPasswordForm } from "./forgot-password-form";

const DETAIL = "If that address has an account, we sent instructions to reset the password.";

function CodePage() {
  return <p>code page for {(useLocation().state as { email?: string } | null)?.email}</p>;
}

function renderForm() {
  return renderRoutes(
    [
      <Route key="f" path="/forgot-password" element={<ForgotPasswordForm />} />,
      <Route key="c" path="/reset-password/code" element={<CodePage />} />,
    ],
    "/forgot-password",
  );
}

describe("ForgotPasswordForm", () => {
  it("asks for instructions, shows the API's detail and the two ways on", async () => {
    const reply = deferred();
    const server = fakeApi({ "POST /auth/password/reset/": () => reply.promise });
    const { user, location } = renderForm();
    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.click(screen.getByRole("button", { name: "Send reset instructions" }));
    expect(screen.getByRole("button", { name: "Send reset instructions" })).toBeDisabled();
    reply.resolve({ status: 202, data: { detail: DETAIL } });
    expect(await screen.findByRole("status")).toHaveTextContent(DETAIL);
    expect(server.callsTo("POST /auth/password/reset/")[0]?.body).toEqual({ email: "ada@example.com" });
    expect(screen.getByText("I have a link")).toBeInTheDocument();
    expect(screen.getByText(/Open the link from the email/)).toBeInTheDocument();
    const code = screen.getByRole("link", { name: "Enter a code" });
    expect(code).toHaveAttribute("href", "/reset-password/code");
    await user.click(code);
    expect(location()).toBe("/reset-password/code");
    expect(screen.getByText("code page for ada@example.com")).toBeInTheDocument();
  });

  it("shows field errors and the wait time, keeping the address", async () => {
    let answer: FakeResponse = {
      status: 400,
      data: { code: "validation_error", detail: "Some fields are invalid.", fields: { email: ["Enter a valid email address."] } },
    };
    fakeApi({ "POST /auth/password/reset/": () => answer });
    const { user } = renderForm();
    await user.type(screen.getByLabelText("Email"), "ada@");
    await user.click(screen.getByRole("button", { name: "Send reset instructions" }));
    await waitFor(() => expect(screen.getByLabelText("Email")).toHaveAccessibleDescription("Enter a valid email address."));
    answer = { status: 429, data: { code: "throttled", detail: "x" }, headers: { "retry-after": "5" } };
    await user.click(screen.getByRole("button", { name: "Send reset instructions" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many attempts. Try again in 5 seconds.");
    expect(screen.getByLabelText("Email")).toHaveValue("ada@");
  });
});
