import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ada, deferred, fakeApi } from "../../testing/fake-api";
import { renderApp } from "../../testing/render-app";

const me = { ...ada, first_name: "Ada", last_name: "" };

describe("the profile page", () => {
  it("saves username and names, shows Saved. and updates the signed-in user", async () => {
    const reply = deferred();
    const server = fakeApi({ "GET /auth/me/": { status: 200, data: me }, "PATCH /auth/me/": () => reply.promise });
    const app = renderApp("/profile");
    expect(await screen.findByRole("heading", { name: "Profile" })).toBeInTheDocument();
    expect(screen.getByLabelText("Username")).toHaveValue("ada");
    expect(screen.getByLabelText("First name")).toHaveValue("Ada");
    expect(screen.getByLabelText("Last name")).toHaveValue("");
    await app.user.clear(screen.getByLabelText("Username"));
    await app.user.type(screen.getByLabelText("Username"), "countess");
    await app.user.type(screen.getByLabelText("Last name"), "Lovelace");
    await app.user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(screen.getByRole("button", { name: "Save changes" })).toBeDisabled();
    reply.resolve({ status: 200, data: { ...me, username: "countess", last_name: "Lovelace" } });
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Saved."));
    expect(server.callsTo("PATCH /auth/me/")[0]?.body).toEqual({
      username: "countess",
      first_name: "Ada",
      last_name: "Lovelace",
    });
    // The auth context holds the new user: the dashboard shows it without asking me again.
    const meCalls = server.callsTo("GET /auth/me/").length;
    await app.user.click(within(screen.getByRole("navigation", { name: "Account" })).getByRole("link", { name: "Dashboard" }));
    expect(await screen.findByText("countess")).toBeInTheDocument();
    expect(server.callsTo("GET /auth/me/")).toHaveLength(meCalls);
  });

  it("shows a taken username next to the field and keeps the input", async () => {
    fakeApi({
      "GET /auth/me/": { status: 200, data: me },
      "PATCH /auth/me/": {
        status: 400,
        data: { code: "validation_error", detail: "Some fields are invalid.", fields: { username: ["That username is taken."] } },
      },
    });
    const app = renderApp("/profile");
    const username = await screen.findByLabelText("Username");
    await app.user.clear(username);
    await app.user.type(username, "grace{Enter}");
    await waitFor(() => expect(username).toHaveAttribute("aria-invalid", "true"));
    expect(username).toHaveAccessibleDescription(/That username is taken\./);
    expect(username).toHaveValue("grace");
    expect(username).toHaveFocus();
    expect(screen.getByRole("alert")).toHaveTextContent("Some fields are invalid.");
    expect(screen.getByRole("status")).toHaveTextContent("");
  });
});
