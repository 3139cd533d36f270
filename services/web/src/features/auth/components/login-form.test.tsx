import { screen, waitFor } from "@testing-library/react";
import { Route } from "react-router-dom";
import type { UserEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ada, deferred, fakeApi } from "../../../testing/fake-api";
import { i18n } from "../../../lib/i18n";
import { renderRoutes } from "../../../testing/render-routes";
import { LoginForm } from "./login-form";

const loggedIn = { status: 200, data: { expiry: "2026-11-22T04:00:00Z", user: ada } };

async function renderForm() {
  const onSuccess = vi.fn();
  const onMfaRequired = vi.fn();
  const app = renderRoutes(<Route path="/login" element={<LoginForm onSuccess={onSuccess} onMfaRequired={onMfaRequired} />} />, "/login");
  // Let the start-up me call finish, so its result cannot overwrite the login's.
  await waitFor(() => expect(app.signedIn()).toBe("anonymous"));
  return { ...app, onSuccess, onMfaRequired };
}

async function logIn(user: UserEvent, identifier: string, password = "correct horse battery") {
  await user.type(screen.getByLabelText("Email or username"), identifier);
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Log in" }));
}

describe("LoginForm", () => {
  it("sends {username} when the identifier has no @", async () => {
    const server = fakeApi({ "POST /auth/login/": loggedIn });
    const { user } = await renderForm();
    await logIn(user, "ada");
    await waitFor(() => expect(server.callsTo("POST /auth/login/")).toHaveLength(1));
    expect(server.callsTo("POST /auth/login/")[0]?.body).toEqual({ username: "ada", password: "correct horse battery" });
  });

  it("sends {email} when it has an @", async () => {
    const server = fakeApi({ "POST /auth/login/": loggedIn });
    const { user } = await renderForm();
    await logIn(user, "ada@example.com");
    await waitFor(() => expect(server.callsTo("POST /auth/login/")).toHaveLength(1));
    expect(server.callsTo("POST /auth/login/")[0]?.body).toEqual({
      email: "ada@example.com",
      password: "correct horse battery",
    });
  });

  it("puts the user from the response into the auth context", async () => {
    fakeApi({ "POST /auth/login/": loggedIn });
    const { user, onSuccess, signedIn } = await renderForm();
    await logIn(user, "ada@example.com");
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith(ada));
    expect(signedIn()).toBe("ada@example.com");
  });

  it("goes on to the second step when the answer is mfa_required, signed in to nothing yet", async () => {
    fakeApi({
      "POST /auth/login/": { status: 200, data: { mfa_required: true, challenge: "c".repeat(43), methods: ["totp", "recovery_code"] } },
    });
    const { user, onSuccess, onMfaRequired, signedIn } = await renderForm();
    await logIn(user, "ada@example.com");
    await waitFor(() => expect(onMfaRequired).toHaveBeenCalledTimes(1));
    expect(onSuccess).not.toHaveBeenCalled();
    expect(signedIn()).toBe("anonymous");
  });

  it("has the CSRF cookie before it posts", async () => {
    const server = fakeApi({
      "POST /auth/login/": () =>
        document.cookie.includes("csrftoken=")
          ? loggedIn
          : { status: 403, data: { code: "csrf_failed", detail: "CSRF check failed." } },
    });
    const { user, onSuccess } = await renderForm();
    document.cookie = "csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/";
    await logIn(user, "ada");
    await waitFor(() => expect(onSuccess).toHaveBeenCalled());
    const order = server.calls.map((call) => `${call.method} ${call.url}`);
    expect(order.slice(-2)).toEqual(["GET /auth/csrf/", "POST /auth/login/"]);
  });

  it("explains a 403 email_not_confirmed and keeps the identifier", async () => {
    fakeApi({
      "POST /auth/login/": {
        status: 403,
        data: { code: "email_not_confirmed", detail: "Confirm your email address before logging in." },
      },
    });
    const { user, onSuccess, signedIn } = await renderForm();
    await logIn(user, "ada@example.com");
    expect(await screen.findByRole("alert")).toHaveTextContent(/^Please confirm your email address first/);
    expect(screen.getByLabelText("Email or username")).toHaveValue("ada@example.com");
    expect(screen.getByLabelText("Password")).toHaveValue("correct horse battery");
    expect(onSuccess).not.toHaveBeenCalled();
    expect(signedIn()).toBe("anonymous");
  });

  it("shows the API's detail on a 400", async () => {
    fakeApi({
      "POST /auth/login/": {
        status: 400,
        data: { code: "invalid_credentials", detail: "Unable to log in with the provided credentials." },
      },
    });
    const { user } = await renderForm();
    await logIn(user, "ada", "wrong");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Unable to log in with the provided credentials.");
    expect(alert).toHaveFocus();
    expect(screen.getByLabelText("Email or username")).toHaveValue("ada");
  });

  it("shows a missing-field error next to the identifier", async () => {
    fakeApi({
      "POST /auth/login/": {
        status: 400,
        data: { code: "validation_error", detail: "Some fields are invalid.", fields: { username: ["This field may not be blank."] } },
      },
    });
    const { user } = await renderForm();
    await user.type(screen.getByLabelText("Password"), "pw{Enter}");
    const identifier = screen.getByLabelText("Email or username");
    await waitFor(() => expect(identifier).toHaveAttribute("aria-invalid", "true"));
    expect(identifier).toHaveAccessibleDescription("This field may not be blank.");
  });

  it("shows the wait time on a 429", async () => {
    fakeApi({
      "POST /auth/login/": {
        status: 429,
        data: { code: "throttled", detail: "Request was throttled." },
        headers: { "retry-after": "30" },
      },
    });
    const { user } = await renderForm();
    await logIn(user, "ada");
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many attempts. Try again in 30 seconds.");
  });

  it("disables the button while logging in", async () => {
    const reply = deferred();
    fakeApi({ "POST /auth/login/": () => reply.promise });
    const { user, onSuccess } = await renderForm();
    await logIn(user, "ada");
    expect(screen.getByRole("button", { name: "Log in" })).toBeDisabled();
    reply.resolve(loggedIn);
    await waitFor(() => expect(onSuccess).toHaveBeenCalled());
  });
});

describe("LoginForm in German", () => {
  it("says a code it knows in its own German words, whatever language the API's detail is in", async () => {
    await i18n.changeLanguage("de");
    const server = fakeApi({
      "POST /auth/login/": { status: 400, data: { code: "invalid_credentials", detail: "Unable to log in with the provided credentials." } },
    });
    const { user } = await renderForm();
    await user.type(screen.getByLabelText("E-Mail-Adresse oder Benutzername"), "ada");
    await user.type(screen.getByLabelText("Passwort"), "wrong");
    await user.click(screen.getByRole("button", { name: "Anmelden" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Mit diesen Anmeldedaten ist keine Anmeldung möglich.");
    expect(server.callsTo("POST /auth/login/")[0]?.headers["Accept-Language"]).toBe("de");
  });

  it("shows the API's detail, already in German, for a code it has no words of its own for", async () => {
    await i18n.changeLanguage("de");
    fakeApi({ "POST /auth/login/": { status: 403, data: { code: "account_on_hold", detail: "Ihr Konto ist vorübergehend gesperrt." } } });
    const { user } = await renderForm();
    await user.type(screen.getByLabelText("E-Mail-Adresse oder Benutzername"), "ada");
    await user.type(screen.getByLabelText("Passwort"), "pw{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("Ihr Konto ist vorübergehend gesperrt.");
  });
});
