import { BrowserRouter } from "react-router-dom";
import { Layout } from "../components/layout";
import { AppProvider } from "./provider";
import { AppRoutes } from "./router";

export function App() {
  return (
    <AppProvider>
      <BrowserRouter>
        <Layout>
          <AppRoutes />
        </Layout>
      </BrowserRouter>
    </AppProvider>
  );
}
