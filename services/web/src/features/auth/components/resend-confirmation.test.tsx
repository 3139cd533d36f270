import { screen, waitFor } from "@testing-library/react";
import { Route } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { deferred, fakeApi } from "../../../testing/fake-api";
import { renderRoutes } from "../../../testing/render-routes";
import { ResendConfirmation } from "./resend-confirmation";

const DETAIL = "If that address has an account waiting for confirmation, we sent a new link.";

function renderWith(email: string) {
  return renderRoutes(<Route path="/check-email" element={<ResendConfirmation email={email} />} />, "/check-email");
}

describe("ResendConfirmation", () => {
  it("resends to the known address and shows the API's detail", async () => {
    const reply = deferred();
    const server = fakeApi({ "POST /auth/email/resend/": () => reply.promise });
    const { user } = renderWith("ada@example.com");
    expect(screen.queryByLabelText("Email")).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Resend email" }));
    expect(screen.getByRole("button", { name: "Resend email" })).toBeDisabled();
    reply.resolve({ status: 202, data: { detail: DETAIL } });
    expect(await screen.findByText(DETAIL)).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent(DETAIL);
    expect(server.callsTo("POST /auth/email/resend/")).toHaveLength(1);
    expect(server.callsTo("POST /auth/email/resend/")[0]?.body).toEqual({ email: "ada@example.com" });
  });

  it("asks for the address when it does not know it", async () => {
    const server = fakeApi({ "POST /auth/email/resend/": { status: 202, data: { detail: DETAIL } } });
    const { user } = renderWith("");
    await user.type(screen.getByLabelText("Email"), " ada@example.com ");
    await user.click(screen.getByRole("button", { name: "Resend email" }));
    expect(await screen.findByText(DETAIL)).toBeInTheDocument();
    expect(server.callsTo("POST /auth/email/resend/")[0]?.body).toEqual({ email: "ada@example.com" });
  });

  it("shows the wait time on a 429 and keeps the address", async () => {
    fakeApi({
      "POST /auth/email/resend/": { status: 429, data: { code: "throttled", detail: "x" }, headers: { "retry-after": "60" } },
    });
    const { user } = renderWith("");
    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.click(screen.getByRole("button", { name: "Resend email" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many attempts. Try again in 60 seconds.");
    expect(screen.getByLabelText("Email")).toHaveValue("ada@example.com");
  });

  it("shows a field error next to the address", async () => {
    fakeApi({
      "POST /auth/email/resend/": {
        status: 400,
        data: { code: "validation_error", detail: "Some fields are invalid.", fields: { email: ["Enter a valid email address."] } },
      },
    });
    const { user } = renderWith("");
    await user.type(screen.getByLabelText("Email"), "nope{Enter}");
    await waitFor(() => expect(screen.getByLabelText("Email")).toHaveAccessibleDescription("Enter a valid email address."));
  });
});
