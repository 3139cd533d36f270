import { BrowserRouter } from "react-router-dom";
import { Layout } from "../components/layout";
import { LanguageSwitch } from "./language-switch";
import { AppProvider } from "./provider";
import { AppRoutes } from "./router";

/** The layout with its header and the routes, inside whichever router (tests bring a MemoryRouter). */
export function AppShell() {
  return (
    <Layout headerEnd={<LanguageSwitch />}>
      <AppRoutes />
    </Layout>
  );
}

export function App() {
  return (
    <AppProvider>
      <BrowserRouter>
        <AppShell />
      </BrowserRouter>
    </AppProvider>
  );
}
