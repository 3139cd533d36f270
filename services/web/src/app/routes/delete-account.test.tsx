import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ada, deferred, fakeApi } from "../../testing/fake-api";
import { renderApp } from "../../testing/render-app";

describe("the delete-account page", () => {
  it("deletes with the password, forgets the user and says so on the login page", async () => {
    const reply = deferred();
    const server = fakeApi({ "GET /auth/me/": { status: 200, data: ada }, "DELETE /auth/me/": () => reply.promise });
    const app = renderApp("/delete-account");
    expect(await screen.findByRole("heading", { name: "Delete account" })).toBeInTheDocument();
    expect(screen.getByText(/cannot be undone/)).toBeInTheDocument();
    await app.user.type(screen.getByLabelText("Password"), "correct horse battery");
    await app.user.click(screen.getByRole("button", { name: "Delete my account" }));
    expect(screen.getByRole("button", { name: "Delete my account" })).toBeDisabled();
    reply.resolve({ status: 204 });
    expect(await screen.findByRole("heading", { name: "Log in" })).toBeInTheDocument();
    expect(app.location()).toBe("/login");
    expect(screen.getByRole("status")).toHaveTextContent("Your account has been deleted.");
    expect(server.callsTo("DELETE /auth/me/")).toHaveLength(1);
    expect(server.callsTo("DELETE /auth/me/")[0]?.body).toEqual({ password: "correct horse battery" });
  });

  it("shows a wrong password next to the field and stays", async () => {
    fakeApi({
      "GET /auth/me/": { status: 200, data: ada },
      "DELETE /auth/me/": { status: 400, data: { code: "invalid_password", detail: "The password is not correct." } },
    });
    const app = renderApp("/delete-account");
    const password = await screen.findByLabelText("Password");
    await app.user.type(password, "wrong{Enter}");
    await waitFor(() => expect(password).toHaveAttribute("aria-invalid", "true"));
    expect(password).toHaveAccessibleDescription(/The password is not correct\./);
    expect(password).toHaveValue("wrong");
    expect(app.location()).toBe("/delete-account");
  });
});
