import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { StrictMode } from "react";
import { describe, expect, it } from "vitest";
import { defined } from "../../../testing/defined";
import { deferred, fakeApi, type FakeResponse, type FakeRoute } from "../../../testing/fake-api";
import { recordDownloads } from "../../../testing/fake-downloads";
import { DownloadAccountData } from "./download-account-data";

const saved = recordDownloads();

const exported = {
  user: { id: 1, email: "ada@example.com", username: "ada" },
  sessions: [{ id: "11111111-1111-4111-8111-111111111111", ip: "203.0.113.4" }],
  security_log: [{ id: 3, kind: "signed_in" }],
};

function renderButton(route: FakeRoute) {
  const server = fakeApi({ "GET /auth/me/export/": route });
  const user = userEvent.setup();
  render(
    <StrictMode>
      <DownloadAccountData />
    </StrictMode>,
  );
  return { server, user };
}

describe("DownloadAccountData", () => {
  it("fetches nothing until asked, then saves the export as account-data.json", async () => {
    const reply = deferred();
    const { server, user } = renderButton(() => reply.promise);
    expect(screen.getByRole("heading", { name: "Download my data" })).toBeInTheDocument();
    expect(server.calls).toHaveLength(0);
    const button = screen.getByRole("button", { name: "Download my data" });
    await user.click(button);
    expect(button).toBeDisabled();
    reply.resolve({ status: 200, data: exported });
    await waitFor(() => expect(saved.downloads).toHaveLength(1));
    const [download] = saved.downloads;
    expect(download?.download).toBe("account-data.json");
    const blob = defined(download?.blob, "the saved file");
    expect(blob.type).toBe("application/json");
    expect(JSON.parse(await blob.text())).toEqual(exported);
    expect(server.callsTo("GET /auth/me/export/")).toHaveLength(1);
    await waitFor(() => expect(button).toBeEnabled());
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows why when the export fails, saves nothing, and works on the next try", async () => {
    let answer: FakeResponse = { status: 503, data: { code: "service_unavailable", detail: "The service is unavailable. Try again shortly." } };
    const { user } = renderButton(() => answer);
    await user.click(screen.getByRole("button", { name: "Download my data" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not download your data. The service is unavailable. Try again shortly.");
    expect(saved.downloads).toHaveLength(0);
    answer = { status: 200, data: exported };
    await user.click(screen.getByRole("button", { name: "Download my data" }));
    await waitFor(() => expect(saved.downloads).toHaveLength(1));
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("says a refused confirmation in words that fit, and refuses an answer that is not a document", async () => {
    let answer: FakeResponse = { status: 403, data: { code: "reauthentication_required", detail: "Reauthenticate first." } };
    const { user } = renderButton(() => answer);
    await user.click(screen.getByRole("button", { name: "Download my data" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Could not download your data. For your security, confirm it's you before downloading your data.",
    );
    answer = { status: 200, data: "<html>gateway page</html>" };
    await user.click(screen.getByRole("button", { name: "Download my data" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not download your data. Something went wrong.");
    expect(saved.downloads).toHaveLength(0);
  });
});
