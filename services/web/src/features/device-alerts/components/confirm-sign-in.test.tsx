import { screen, waitFor } from "@testing-library/react";
import { Route } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { deferred, fakeApi, type FakeResponse } from "../../../testing/fake-api";
import { renderRoutes } from "../../../testing/render-routes";
import { ConfirmSignIn } from "./confirm-sign-in";

const CONFIRM = "POST /auth/device-alerts/confirm/";
const invalid: FakeResponse = { status: 400, data: { code: "invalid_key", detail: "This link is invalid or has expired." } };

function renderAt(key: string) {
  return renderRoutes(
    <Route path="/sign-in-alert/:key/yes" element={<ConfirmSignIn alertKey={key} />} />,
    `/sign-in-alert/${key}/yes`,
  );
}

describe("ConfirmSignIn", () => {
  it("sends nothing when it opens (mail scanners open links), only when asked, once", async () => {
    const reply = deferred();
    const server = fakeApi({ [CONFIRM]: () => reply.promise });
    const app = renderAt("the-key");
    expect(screen.getByRole("heading", { name: "Was this you?" })).toBeInTheDocument();
    await waitFor(() => expect(app.signedIn()).toBe("anonymous"));
    expect(server.calls.filter((call) => call.method !== "GET")).toHaveLength(0);

    const button = screen.getByRole("button", { name: "Yes, it was me" });
    await app.user.click(button);
    expect(button).toBeDisabled();
    await app.user.click(button);
    reply.resolve({ status: 200, data: { detail: "Thanks." } });
    const heading = await screen.findByRole("heading", { name: "Sign-in confirmed" });
    expect(heading).toHaveFocus();
    expect(screen.getByRole("status")).toHaveTextContent("Thanks — this device is now known.");
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
    expect(server.callsTo(CONFIRM).map((call) => call.body)).toEqual([{ key: "the-key" }]);
    // Nobody was signed out by it.
    expect(server.callsTo("GET /auth/me/")).toHaveLength(1);
  });

  it("says when the link is invalid, used or expired", async () => {
    fakeApi({ [CONFIRM]: invalid });
    const app = renderAt("used-key");
    await app.user.click(screen.getByRole("button", { name: "Yes, it was me" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("This link is invalid, used or expired.");
    expect(screen.getByRole("heading", { name: "This link cannot be used" })).toHaveFocus();
    expect(screen.getByRole("link", { name: "Security activity" })).toHaveAttribute("href", "/security-activity");
    expect(screen.queryByRole("button", { name: "Yes, it was me" })).not.toBeInTheDocument();
  });

  it("keeps the button when the server could not be reached, without calling the link invalid", async () => {
    let answer: FakeResponse = { status: 503, data: { code: "service_unavailable", detail: "The service is unavailable." } };
    const server = fakeApi({ [CONFIRM]: () => answer });
    const app = renderAt("the-key");
    await app.user.click(screen.getByRole("button", { name: "Yes, it was me" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The service is unavailable.");
    expect(screen.queryByText("This link is invalid, used or expired.")).not.toBeInTheDocument();
    answer = { status: 200, data: { detail: "Thanks." } };
    await app.user.click(screen.getByRole("button", { name: "Yes, it was me" }));
    expect(await screen.findByRole("heading", { name: "Sign-in confirmed" })).toBeInTheDocument();
    expect(server.callsTo(CONFIRM)).toHaveLength(2);
  });

  it("links to the other answer without sending anything", async () => {
    const server = fakeApi();
    const app = renderAt("the-key");
    expect(screen.getByRole("link", { name: "This wasn't me" })).toHaveAttribute("href", "/sign-in-alert/the-key/no");
    expect(document.querySelector('meta[name="referrer"]')).toHaveAttribute("content", "no-referrer");
    await waitFor(() => expect(app.signedIn()).toBe("anonymous"));
    expect(server.calls.filter((call) => call.method !== "GET")).toHaveLength(0);
  });
});
