import { BrowserRouter } from "react-router-dom";
import { Layout } from "../components/layout.jsx";
import { AppProvider } from "./provider.jsx";
import { AppRoutes } from "./router.jsx";

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
