import { screen, waitFor } from "@testing-library/react";
import { Route } from "react-router-dom";
import { describe, expect, it, vi } from "vitest";
import { ada, fakeApi, type FakeRoute } from "../../../testing/fake-api";
import { renderRoutes } from "../../../testing/render-routes";
import { useAuth } from "../auth-context";
import { EmailCodeLogin } from "./email-code-login";

const sent = { status: 202, data: { detail: "If that address has an account, we sent a sign-in code." } };

function PendingProbe() {
  const { pendingMfa } = useAuth();
  return <span data-testid="pending">{pendingMfa ? pendingMfa.methods.join(",") : "none"}</span>;
}

async function renderFlow(routes: Record<string, FakeRoute>) {
  const server = fakeApi({ "POST /auth/login/code/": sent, ...routes });
  const onSuccess = vi.fn();
  const onMfaRequired = vi.fn();
  const app = renderRoutes(
    <Route path="/login/code" element={<><EmailCodeLogin onSuccess={onSuccess} onMfaRequired={onMfaRequired} /><PendingProbe /></>} />,
    "/login/code",
  );
  await waitFor(() => expect(app.signedIn()).toBe("anonymous"));
  await app.user.type(screen.getByLabelText("Email"), " ada@example.com ");
  await app.user.click(screen.getByRole("button", { name: "Email me a code" }));
  await screen.findByLabelText("Sign-in code");
  return { ...app, server, onSuccess, onMfaRequired };
}

describe("EmailCodeLogin", () => {
  it("emails a code, then signs in with {email, code}", async () => {
    const { user, server, onSuccess, signedIn } = await renderFlow({
      "POST /auth/login/code/confirm/": { status: 200, data: { expiry: "2026-11-22T04:00:00Z", user: ada } },
    });
    expect(server.callsTo("POST /auth/login/code/")[0]?.body).toEqual({ email: "ada@example.com" });
    expect(screen.getByText("If that address has an account, we sent a sign-in code.")).toBeInTheDocument();
    expect(screen.getByText("ada@example.com")).toBeInTheDocument();
    const field = screen.getByLabelText("Sign-in code");
    expect(field).toHaveFocus();
    expect(field).toHaveAttribute("autocomplete", "one-time-code");
    await user.type(field, "abcd 2345");
    await user.click(screen.getByRole("button", { name: "Verify" }));
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith(ada));
    expect(signedIn()).toBe("ada@example.com");
    expect(server.callsTo("POST /auth/login/code/confirm/")[0]?.body).toEqual({ email: "ada@example.com", code: "abcd 2345" });
  });

  it("goes on to the second step when the account has one", async () => {
    const { user, onSuccess, onMfaRequired, signedIn } = await renderFlow({
      "POST /auth/login/code/confirm/": { status: 200, data: { mfa_required: true, challenge: "c".repeat(43), methods: ["totp", "recovery_code"] } },
    });
    await user.type(screen.getByLabelText("Sign-in code"), "ABCD2345{Enter}");
    await waitFor(() => expect(onMfaRequired).toHaveBeenCalledTimes(1));
    expect(onSuccess).not.toHaveBeenCalled();
    expect(signedIn()).toBe("anonymous");
    expect(screen.getByTestId("pending")).toHaveTextContent("totp,recovery_code");
  });

  it("puts a wrong code next to the field", async () => {
    const { user } = await renderFlow({
      "POST /auth/login/code/confirm/": { status: 400, data: { code: "invalid_code", detail: "The code is wrong or has expired." } },
    });
    const field = screen.getByLabelText("Sign-in code");
    await user.type(field, "WRONG123{Enter}");
    await waitFor(() => expect(field).toHaveAttribute("aria-invalid", "true"));
    expect(field).toHaveAccessibleDescription(/That code is not right/);
  });

  it("sends a new code, and lets the address be changed", async () => {
    const { user, server } = await renderFlow({});
    await user.click(screen.getByRole("button", { name: "Send a new code" }));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("we sent a sign-in code"));
    expect(server.callsTo("POST /auth/login/code/")).toHaveLength(2);
    await user.click(screen.getByRole("button", { name: "Use a different email" }));
    expect(screen.getByLabelText("Email")).toBeInTheDocument();
  });
});
