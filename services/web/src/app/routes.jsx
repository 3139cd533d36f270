import { Navigate, Route, Routes } from "react-router-dom";
import { AnonymousRoute } from "../features/auth/components/anonymous-route.jsx";
import { AuthenticatedRoute } from "../features/auth/components/authenticated-route.jsx";
import { CheckEmailPage } from "./routes/check-email.jsx";
import { ConfirmEmailPage } from "./routes/confirm-email.jsx";
import { DashboardPage } from "./routes/dashboard.jsx";
import { LoginPage } from "./routes/login.jsx";
import { NotFoundPage } from "./routes/not-found.jsx";
import { RegisterPage } from "./routes/register.jsx";

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<Navigate to="/dashboard" replace />} />
      <Route path="/register" element={<AnonymousRoute><RegisterPage /></AnonymousRoute>} />
      <Route path="/check-email" element={<CheckEmailPage />} />
      <Route path="/confirm-email/:key" element={<ConfirmEmailPage />} />
      <Route path="/login" element={<AnonymousRoute><LoginPage /></AnonymousRoute>} />
      <Route path="/dashboard" element={<AuthenticatedRoute><DashboardPage /></AuthenticatedRoute>} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
