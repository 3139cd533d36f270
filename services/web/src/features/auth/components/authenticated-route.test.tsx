import { screen, waitFor } from "@testing-library/react";
import { Route } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { ada, deferred, fakeApi } from "../../../testing/fake-api";
import { renderRoutes } from "../../../testing/render-routes";
import { AnonymousRoute } from "./anonymous-route";
import { AuthenticatedRoute } from "./authenticated-route";

const routes = [
  <Route key="d" path="/dashboard" element={<AuthenticatedRoute><h1>Secret</h1></AuthenticatedRoute>} />,
  <Route key="l" path="/login" element={<AnonymousRoute><h1>Log in</h1></AnonymousRoute>} />,
];

describe("AuthenticatedRoute", () => {
  it("sends an anonymous visitor to /login?next=/dashboard", async () => {
    fakeApi();
    const app = renderRoutes(routes, "/dashboard");
    expect(await screen.findByRole("heading", { name: "Log in" })).toBeInTheDocument();
    const url = new URL(app.location(), "https://app.example");
    expect(url.pathname).toBe("/login");
    expect(url.searchParams.get("next")).toBe("/dashboard");
    expect(app.location()).toBe("/login?next=%2Fdashboard");
    expect(screen.queryByText("Secret")).not.toBeInTheDocument();
  });

  it("remembers the query string too", async () => {
    fakeApi();
    const app = renderRoutes(routes, "/dashboard?tab=details");
    await screen.findByRole("heading", { name: "Log in" });
    expect(new URL(app.location(), "https://app.example").searchParams.get("next")).toBe("/dashboard?tab=details");
  });

  it("shows a loading state, not the login page, while me is in flight", async () => {
    const me = deferred();
    fakeApi({ "GET /auth/me/": () => me.promise });
    const app = renderRoutes(routes, "/dashboard");
    expect(await screen.findByRole("status")).toHaveTextContent("Loading");
    expect(screen.queryByRole("heading")).not.toBeInTheDocument();
    expect(app.location()).toBe("/dashboard");
    me.resolve({ status: 200, data: ada });
    expect(await screen.findByRole("heading", { name: "Secret" })).toBeInTheDocument();
    expect(app.location()).toBe("/dashboard");
  });

  it("lets a signed-in user in", async () => {
    fakeApi({ "GET /auth/me/": { status: 200, data: ada } });
    renderRoutes(routes, "/dashboard");
    expect(await screen.findByRole("heading", { name: "Secret" })).toBeInTheDocument();
  });
});

describe("AnonymousRoute", () => {
  it("sends a signed-in user from the login page to the dashboard", async () => {
    fakeApi({ "GET /auth/me/": { status: 200, data: ada } });
    const app = renderRoutes(routes, "/login");
    expect(await screen.findByRole("heading", { name: "Secret" })).toBeInTheDocument();
    expect(app.location()).toBe("/dashboard");
  });

  it("never follows an unsafe next", async () => {
    fakeApi({ "GET /auth/me/": { status: 200, data: ada } });
    const app = renderRoutes(routes, "/login?next=%2F%2Fevil.example");
    await waitFor(() => expect(app.location()).toBe("/dashboard"));
  });
});
