import { BrowserRouter } from "react-router-dom";
import { AuthProvider } from "../features/auth/auth-context.jsx";
import { AppRoutes } from "./routes.jsx";

export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <AppRoutes />
      </AuthProvider>
    </BrowserRouter>
  );
}
