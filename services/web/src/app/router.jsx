import { lazy, Suspense } from "react";
import { Navigate, Route, Routes } from "react-router-dom";
import { Loading } from "../components/loading.jsx";
import { AnonymousRoute } from "../features/auth/components/anonymous-route.jsx";
import { AuthenticatedRoute } from "../features/auth/components/authenticated-route.jsx";
import { AuthenticatedLayout } from "./authenticated-layout.jsx";
import { DashboardRoute } from "./routes/dashboard.jsx";
import { LoginRoute } from "./routes/login.jsx";
import { RegisterRoute } from "./routes/register.jsx";

// Pages most visits never open load on demand, keeping the first download small. `load` returns
// the page component itself (React.lazy wants it as a module's default export).
const page = (load) => lazy(async () => ({ default: await load() }));
const CheckEmailRoute = page(async () => (await import("./routes/check-email.jsx")).CheckEmailRoute);
const ConfirmEmailRoute = page(async () => (await import("./routes/confirm-email.jsx")).ConfirmEmailRoute);
const ForgotPasswordRoute = page(async () => (await import("./routes/forgot-password.jsx")).ForgotPasswordRoute);
const ResetPasswordLinkRoute = page(async () => (await import("./routes/reset-password-link.jsx")).ResetPasswordLinkRoute);
const ResetPasswordCodeRoute = page(async () => (await import("./routes/reset-password-code.jsx")).ResetPasswordCodeRoute);
const ProfileRoute = page(async () => (await import("./routes/profile.jsx")).ProfileRoute);
const SecurityRoute = page(async () => (await import("./routes/security.jsx")).SecurityRoute);
const DeleteAccountRoute = page(async () => (await import("./routes/delete-account.jsx")).DeleteAccountRoute);
const ManageUsersRoute = page(async () => (await import("./routes/manage-users.jsx")).ManageUsersRoute);
const NotFoundRoute = page(async () => (await import("./routes/not-found.jsx")).NotFoundRoute);

export function AppRoutes() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/" element={<Navigate to="/dashboard" replace />} />
        <Route path="/register" element={<AnonymousRoute><RegisterRoute /></AnonymousRoute>} />
        <Route path="/check-email" element={<CheckEmailRoute />} />
        <Route path="/confirm-email/:key" element={<ConfirmEmailRoute />} />
        <Route path="/login" element={<AnonymousRoute><LoginRoute /></AnonymousRoute>} />
        <Route path="/forgot-password" element={<AnonymousRoute><ForgotPasswordRoute /></AnonymousRoute>} />
        <Route path="/reset-password/code" element={<ResetPasswordCodeRoute />} />
        <Route path="/reset-password/:uid/:token" element={<ResetPasswordLinkRoute />} />
        <Route element={<AuthenticatedRoute><AuthenticatedLayout /></AuthenticatedRoute>}>
          <Route path="/dashboard" element={<DashboardRoute />} />
          <Route path="/profile" element={<ProfileRoute />} />
          <Route path="/security" element={<SecurityRoute />} />
          <Route path="/delete-account" element={<DeleteAccountRoute />} />
          <Route path="/manage/users" element={<ManageUsersRoute />} />
        </Route>
        <Route path="*" element={<NotFoundRoute />} />
      </Routes>
    </Suspense>
  );
}
