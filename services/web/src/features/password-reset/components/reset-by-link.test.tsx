import { screen, waitFor } from "@testing-library/react";
import { Route, useParams } from "react-router-dom";
import { describe, expect, it, vi } from "vitest";
import { deferred, fakeApi } from "../../../testing/fake-api";
import { renderRoutes } from "../../../testing/render-routes";
import { ResetByLink } from "./reset-by-link";

const VALID = { status: 200, data: { detail: "The reset link is valid." } };
const INVALID = { status: 400, data: { code: "invalid_reset", detail: "This reset link is invalid or has expired." } };
const RESET = { status: 200, data: { detail: "Your password has been reset. You can log in now." } };

function Page({ onReset }: { onReset: () => void }) {
  const { uid = "", token = "" } = useParams();
  return <ResetByLink uid={uid} token={token} onReset={onReset} />;
}

function renderAt(path: string, onReset = vi.fn()) {
  const app = renderRoutes(<Route path="/reset-password/:uid/:token" element={<Page onReset={onReset} />} />, path);
  return { ...app, onReset };
}

describe("ResetByLink", () => {
  it("verifies the link once under StrictMode, then sets the new password", async () => {
    const server = fakeApi({ "POST /auth/password/reset/verify/": VALID, "POST /auth/password/reset/confirm/": RESET });
    const { user, onReset } = renderAt("/reset-password/MQ/abc-123");
    expect(screen.getByRole("heading", { name: "Checking your reset link…" })).toBeInTheDocument();
    const field = await screen.findByLabelText("New password");
    expect(server.callsTo("POST /auth/password/reset/verify/")).toHaveLength(1);
    expect(server.callsTo("POST /auth/password/reset/verify/")[0]?.body).toEqual({ uid: "MQ", token: "abc-123" });
    await user.type(field, "a brand new passphrase");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    expect(await screen.findByRole("heading", { name: "Password reset" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Log in" })).toHaveAttribute("href", "/login");
    expect(server.callsTo("POST /auth/password/reset/confirm/")[0]?.body).toEqual({
      uid: "MQ",
      token: "abc-123",
      new_password: "a brand new passphrase",
    });
    expect(onReset).toHaveBeenCalledTimes(1);
  });

  it("puts the token nowhere but the request bodies", async () => {
    fakeApi({ "POST /auth/password/reset/verify/": VALID });
    renderAt("/reset-password/MQ/secret-token-value");
    await screen.findByLabelText("New password");
    expect(document.title).not.toContain("secret-token-value");
    // Only the test's location probe may show it.
    const page = document.documentElement.innerHTML.replace(screen.getByTestId("location").outerHTML, "");
    expect(page).not.toContain("secret-token-value");
    expect(document.querySelector('meta[name="referrer"]')).toHaveAttribute("content", "no-referrer");
    expect(localStorage).toHaveLength(0);
    expect(sessionStorage).toHaveLength(0);
  });

  it("says when the link is invalid or expired, and offers a new one", async () => {
    const server = fakeApi({ "POST /auth/password/reset/verify/": INVALID });
    renderAt("/reset-password/MQ/used");
    expect(
      await screen.findByRole("heading", { name: "This reset link is invalid or has expired" }),
    ).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Ask for a new one" })).toHaveAttribute("href", "/forgot-password");
    expect(screen.queryByLabelText("New password")).not.toBeInTheDocument();
    expect(server.callsTo("POST /auth/password/reset/verify/")).toHaveLength(1);
  });

  it("keeps the password and shows why it was refused", async () => {
    const server = fakeApi({
      "POST /auth/password/reset/verify/": VALID,
      "POST /auth/password/reset/confirm/": {
        status: 400,
        data: { code: "validation_error", detail: "Some fields are invalid.", fields: { new_password: ["This password is too common."] } },
      },
    });
    const { user, onReset } = renderAt("/reset-password/MQ/abc");
    await user.type(await screen.findByLabelText("New password"), "password1234");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    const field = screen.getByLabelText("New password");
    await waitFor(() => expect(field).toHaveAttribute("aria-invalid", "true"));
    expect(field).toHaveAccessibleDescription("This password is too common. At least 12 characters.");
    expect(field).toHaveValue("password1234");
    expect(server.callsTo("POST /auth/password/reset/confirm/")).toHaveLength(1);
    expect(onReset).not.toHaveBeenCalled();
  });

  it("turns into the invalid page if the link dies before the form is sent", async () => {
    fakeApi({ "POST /auth/password/reset/verify/": VALID, "POST /auth/password/reset/confirm/": INVALID });
    const { user } = renderAt("/reset-password/MQ/abc");
    await user.type(await screen.findByLabelText("New password"), "a brand new passphrase{Enter}");
    expect(
      await screen.findByRole("heading", { name: "This reset link is invalid or has expired" }),
    ).toBeInTheDocument();
  });

  it("offers a retry when the check could not reach the server", async () => {
    const reply = deferred();
    let attempts = 0;
    fakeApi({
      "POST /auth/password/reset/verify/": () =>
        ++attempts === 1 ? { status: 503, data: { code: "service_unavailable", detail: "Down." } } : reply.promise,
    });
    const { user } = renderAt("/reset-password/MQ/abc");
    expect(await screen.findByRole("heading", { name: "We could not check your reset link" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Try again" }));
    reply.resolve(VALID);
    expect(await screen.findByLabelText("New password")).toBeInTheDocument();
  });
});
