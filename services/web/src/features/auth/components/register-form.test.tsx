import { act, screen, waitFor } from "@testing-library/react";
import { Route } from "react-router-dom";
import type { UserEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { i18n } from "../../../lib/i18n";
import { deferred, fakeApi } from "../../../testing/fake-api";
import { defined } from "../../../testing/defined";
import { renderRoutes } from "../../../testing/render-routes";
import { RegisterForm } from "./register-form";

function renderForm() {
  const onSuccess = vi.fn();
  const app = renderRoutes(<Route path="/register" element={<RegisterForm onSuccess={onSuccess} />} />, "/register");
  return { ...app, onSuccess };
}

async function fill(user: UserEvent, { email = "", username = "", password = "" }) {
  if (email) await user.type(screen.getByLabelText("Email"), email);
  if (username) await user.type(screen.getByLabelText("Username (optional)"), username);
  if (password) await user.type(screen.getByLabelText("Password"), password);
}

describe("RegisterForm", () => {
  it("has the labelled fields, the password hint and the button", () => {
    fakeApi();
    renderForm();
    expect(screen.getByLabelText("Email")).toHaveAttribute("type", "email");
    expect(screen.getByLabelText("Username (optional)")).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveAttribute("type", "password");
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription("At least 12 characters.");
    expect(screen.getByText("At least 12 characters.")).toBeVisible();
    expect(screen.getByRole("button", { name: "Create account" })).toHaveAttribute("type", "submit");
  });

  it("shows the API's field errors next to the field and keeps what was typed", async () => {
    const server = fakeApi({
      "POST /auth/register/": {
        status: 400,
        data: {
          code: "validation_error",
          detail: "Some fields are invalid.",
          fields: { email: ["Enter a valid email address."] },
        },
      },
    });
    const { user, onSuccess } = renderForm();
    await fill(user, { email: "not-an-email", username: "ada", password: "a long password here" });
    await user.click(screen.getByRole("button", { name: "Create account" }));

    const email = screen.getByLabelText("Email");
    await waitFor(() => expect(email).toHaveAttribute("aria-invalid", "true"));
    expect(email).toHaveAccessibleDescription("Enter a valid email address.");
    const errorId = email.getAttribute("aria-describedby");
    expect(document.getElementById(defined(errorId, "aria-describedby"))).toHaveTextContent("Enter a valid email address.");
    expect(screen.getByRole("alert")).toHaveTextContent("Some fields are invalid.");
    expect(screen.getByLabelText("Password")).not.toHaveAttribute("aria-invalid");
    // Nothing the user typed is lost.
    expect(email).toHaveValue("not-an-email");
    expect(screen.getByLabelText("Username (optional)")).toHaveValue("ada");
    expect(screen.getByLabelText("Password")).toHaveValue("a long password here");
    // Focus lands on the field to fix.
    expect(email).toHaveFocus();
    expect(server.callsTo("POST /auth/register/")[0]?.body).toEqual({
      email: "not-an-email",
      username: "ada",
      password: "a long password here",
      language: "en",
    });
    expect(onSuccess).not.toHaveBeenCalled();
  });

  it("disables the button while the request is in flight and sends it once", async () => {
    const reply = deferred();
    const server = fakeApi({ "POST /auth/register/": () => reply.promise });
    const { user, onSuccess } = renderForm();
    await fill(user, { email: "ada@example.com", password: "a long password here" });
    const button = screen.getByRole("button", { name: "Create account" });
    await user.click(button);
    expect(button).toBeDisabled();
    await user.keyboard("{Enter}");
    expect(server.callsTo("POST /auth/register/")).toHaveLength(1);
    await act(async () => reply.resolve({ status: 201, data: { detail: "Check your inbox." } }));
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith("ada@example.com"));
    expect(button).toBeEnabled();
  });

  it("shows how long to wait after a 429", async () => {
    fakeApi({
      "POST /auth/register/": {
        status: 429,
        data: { code: "throttled", detail: "Request was throttled." },
        headers: { "retry-after": "42" },
      },
    });
    const { user } = renderForm();
    await fill(user, { email: "ada@example.com", password: "a long password here" });
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many attempts. Try again in 42 seconds.");
    expect(screen.getByLabelText("Email")).toHaveValue("ada@example.com");
  });

  it("submits from the keyboard alone", async () => {
    const server = fakeApi({ "POST /auth/register/": { status: 201, data: { detail: "ok" } } });
    const { user, onSuccess } = renderForm();
    await user.tab();
    expect(screen.getByLabelText("Email")).toHaveFocus();
    await user.keyboard("ada@example.com");
    await user.tab();
    await user.tab();
    expect(screen.getByLabelText("Password")).toHaveFocus();
    await user.keyboard("a long password here{Enter}");
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith("ada@example.com"));
    expect(server.callsTo("POST /auth/register/")[0]?.body).toEqual({
      email: "ada@example.com",
      password: "a long password here",
      language: "en",
    });
  });
});

describe("RegisterForm in German", () => {
  it("is in German, and the new account starts in German", async () => {
    await i18n.changeLanguage("de");
    const server = fakeApi({ "POST /auth/register/": { status: 201, data: { detail: "Prüfen Sie Ihr Postfach." } } });
    const { user, onSuccess } = renderForm();
    await user.type(screen.getByLabelText("E-Mail-Adresse"), "ada@example.com");
    await user.type(screen.getByLabelText("Passwort"), "a long password here");
    expect(screen.getByLabelText("Passwort")).toHaveAccessibleDescription("Mindestens 12 Zeichen.");
    await user.click(screen.getByRole("button", { name: "Registrieren" }));
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith("ada@example.com"));
    expect(server.callsTo("POST /auth/register/")[0]?.body).toEqual({ email: "ada@example.com", password: "a long password here", language: "de" });
  });
});
