import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { StrictMode } from "react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router-dom";
import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("../../features/auth/api/register.js", () => ({ register: vi.fn() }));
vi.mock("../../features/auth/api/confirm-email.js", () => ({ confirmEmail: vi.fn() }));
vi.mock("../../features/auth/api/login.js", () => ({ login: vi.fn() }));
vi.mock("../../features/auth/api/get-me.js", () => ({ getMe: vi.fn() }));
vi.mock("../../features/auth/api/get-csrf.js", () => ({ getCsrf: vi.fn(), hasCsrfCookie: () => true }));
vi.mock("../../features/auth/api/logout.js", () => ({ logout: vi.fn() }));

const { register } = await import("../../features/auth/api/register.js");
const { confirmEmail } = await import("../../features/auth/api/confirm-email.js");
const { login } = await import("../../features/auth/api/login.js");
const { getMe } = await import("../../features/auth/api/get-me.js");
const { AuthProvider } = await import("../../features/auth/auth-context.jsx");
const { AppRoutes } = await import("../routes.jsx");

function WhereAmI() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname + location.search}</output>;
}

function renderAt(path) {
  return render(
    <StrictMode>
      <MemoryRouter initialEntries={[path]}>
        <AuthProvider>
          <AppRoutes />
          <WhereAmI />
        </AuthProvider>
      </MemoryRouter>
    </StrictMode>,
  );
}

const anonymous = () => Promise.reject({ status: 401, code: "not_authenticated" });
const ada = { id: 1, email: "ada@example.com", username: null, email_confirmed: true,
  date_joined: "2026-11-21T18:00:00Z", roles: ["member"] };

describe("pages", () => {
  beforeEach(() => {
    vi.mocked(getMe).mockImplementation(anonymous);
  });

  it("sends an anonymous visitor of /dashboard to the login page with next", async () => {
    renderAt("/dashboard");
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/login?next=%2Fdashboard"));
    expect(screen.getByRole("heading", { name: "Log in" })).toBeInTheDocument();
  });

  it("shows the API's field errors next to the field and keeps what was typed", async () => {
    vi.mocked(register).mockRejectedValue({
      status: 400, code: "validation_error", detail: "Some fields are invalid.",
      fields: { email: ["Enter a valid email address."] },
    });
    const user = userEvent.setup();
    renderAt("/register");
    await user.type(await screen.findByLabelText("Email"), "not-an-email");
    await user.type(screen.getByLabelText("Password"), "a long password here");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    const email = screen.getByLabelText("Email");
    await waitFor(() => expect(email).toHaveAttribute("aria-invalid", "true"));
    expect(email).toHaveAccessibleDescription("Enter a valid email address.");
    expect(email).toHaveValue("not-an-email");
    expect(screen.getByLabelText("Password")).toHaveValue("a long password here");
  });

  it("disables the submit button while the request is in flight", async () => {
    let finish;
    vi.mocked(register).mockImplementation(() => new Promise((resolve) => { finish = resolve; }));
    const user = userEvent.setup();
    renderAt("/register");
    await user.type(await screen.findByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "a long password here");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(screen.getByRole("button", { name: /Creating account/ })).toBeDisabled();
    await act(async () => finish({ detail: "ok" }));
    await waitFor(() => expect(screen.getByRole("heading", { name: "Check your email" })).toBeInTheDocument());
    expect(screen.getByText("ada@example.com")).toBeInTheDocument();
  });

  it("explains email_not_confirmed on login", async () => {
    vi.mocked(login).mockRejectedValue({ status: 403, code: "email_not_confirmed", detail: "x", fields: {} });
    const user = userEvent.setup();
    renderAt("/login");
    await user.type(await screen.findByLabelText("Email or username"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "pw{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent(/confirm your email address/);
    expect(screen.getByLabelText("Email or username")).toHaveValue("ada@example.com");
  });

  it("shows the wait time on 429", async () => {
    vi.mocked(login).mockRejectedValue({ status: 429, code: "throttled", detail: "x", fields: {}, retryAfter: 30 });
    const user = userEvent.setup();
    renderAt("/login");
    await user.type(await screen.findByLabelText("Email or username"), "ada");
    await user.type(screen.getByLabelText("Password"), "pw{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many attempts. Try again in 30 seconds.");
  });

  it("logs in, goes to the safe next, and stores nothing in web storage", async () => {
    const setItem = vi.spyOn(Storage.prototype, "setItem");
    vi.mocked(login).mockResolvedValue({ expiry: "2026-11-22T04:00:00Z", user: ada });
    const user = userEvent.setup();
    renderAt("/login?next=%2F%2Fevil.example");
    await user.type(await screen.findByLabelText("Email or username"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "pw{Enter}");
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent(/^\/dashboard$/));
    expect(screen.getByText("ada@example.com")).toBeInTheDocument();
    expect(setItem).not.toHaveBeenCalled();
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
  });

  it("confirms an email once even under StrictMode", async () => {
    vi.mocked(confirmEmail).mockResolvedValue({ detail: "ok" });
    renderAt("/confirm-email/the-key");
    expect(await screen.findByRole("heading", { name: "Email confirmed" })).toBeInTheDocument();
    expect(confirmEmail).toHaveBeenCalledTimes(1);
    expect(confirmEmail).toHaveBeenCalledWith("the-key");
  });

  it("says when a confirmation link is invalid", async () => {
    vi.mocked(confirmEmail).mockRejectedValue({ status: 400, code: "invalid_key", detail: "Expired." });
    renderAt("/confirm-email/old");
    expect(await screen.findByRole("heading", { name: "This link is invalid or has expired" })).toBeInTheDocument();
  });

  it("shows the account on the dashboard for a signed-in user", async () => {
    vi.mocked(getMe).mockResolvedValue(ada);
    renderAt("/dashboard");
    expect(await screen.findByRole("heading", { name: "Dashboard" })).toBeInTheDocument();
    expect(screen.getByText("ada@example.com")).toBeInTheDocument();
    expect(screen.getByText("member")).toBeInTheDocument();
  });
});
