import { screen, waitFor } from "@testing-library/react";
import { Route } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { fakeApi } from "../../../testing/fake-api";
import { renderRoutes } from "../../../testing/render-routes";
import { EmailConfirmation } from "./email-confirmation";

function renderAt(key: string) {
  return renderRoutes(
    <Route path="/confirm-email/:key" element={<EmailConfirmation confirmationKey={key} />} />,
    `/confirm-email/${key}`,
  );
}

describe("EmailConfirmation", () => {
  it("posts the key once under StrictMode and says the email is confirmed", async () => {
    const server = fakeApi({ "POST /auth/email/confirm/": { status: 200, data: { detail: "Your email address is confirmed." } } });
    const { user } = renderAt("the-key");
    expect(await screen.findByRole("heading", { name: "Email confirmed" })).toBeInTheDocument();
    expect(server.callsTo("POST /auth/email/confirm/")).toHaveLength(1);
    expect(server.callsTo("POST /auth/email/confirm/")[0]?.body).toEqual({ key: "the-key" });
    const link = screen.getByRole("link", { name: "Log in" });
    expect(link).toHaveAttribute("href", "/login");
    await user.click(link);
    expect(screen.getByText("elsewhere")).toBeInTheDocument();
  });

  it("says when the link is invalid or expired, with the API's detail", async () => {
    const server = fakeApi({
      "POST /auth/email/confirm/": {
        status: 400,
        data: { code: "invalid_key", detail: "This confirmation link is invalid or has expired." },
      },
    });
    renderAt("used-key");
    expect(await screen.findByRole("heading", { name: "This link is invalid or has expired" })).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("This confirmation link is invalid or has expired.");
    expect(server.callsTo("POST /auth/email/confirm/")).toHaveLength(1);
  });

  it("offers a retry when the server could not be reached, without calling the link invalid", async () => {
    let attempts = 0;
    const server = fakeApi({
      "POST /auth/email/confirm/": () =>
        ++attempts === 1
          ? { status: 503, data: { code: "service_unavailable", detail: "The service is unavailable." } }
          : { status: 200, data: { detail: "Your email address is confirmed." } },
    });
    const { user } = renderAt("the-key");
    expect(await screen.findByRole("heading", { name: "We could not confirm your email" })).toBeInTheDocument();
    expect(screen.queryByText("This link is invalid or has expired")).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("heading", { name: "Email confirmed" })).toBeInTheDocument();
    await waitFor(() => expect(server.callsTo("POST /auth/email/confirm/")).toHaveLength(2));
  });
});
