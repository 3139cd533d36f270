import { Navigate, Route, Routes } from "react-router-dom";
import { AnonymousRoute } from "../features/auth/components/anonymous-route.jsx";
import { AuthenticatedRoute } from "../features/auth/components/authenticated-route.jsx";
import { CheckEmailRoute } from "./routes/check-email.jsx";
import { ConfirmEmailRoute } from "./routes/confirm-email.jsx";
import { DashboardRoute } from "./routes/dashboard.jsx";
import { LoginRoute } from "./routes/login.jsx";
import { NotFoundRoute } from "./routes/not-found.jsx";
import { RegisterRoute } from "./routes/register.jsx";

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<Navigate to="/dashboard" replace />} />
      <Route path="/register" element={<AnonymousRoute><RegisterRoute /></AnonymousRoute>} />
      <Route path="/check-email" element={<CheckEmailRoute />} />
      <Route path="/confirm-email/:key" element={<ConfirmEmailRoute />} />
      <Route path="/login" element={<AnonymousRoute><LoginRoute /></AnonymousRoute>} />
      <Route path="/dashboard" element={<AuthenticatedRoute><DashboardRoute /></AuthenticatedRoute>} />
      <Route path="*" element={<NotFoundRoute />} />
    </Routes>
  );
}
