import { lazy, Suspense, type ComponentType } from "react";
import { Navigate, Route, Routes } from "react-router-dom";
import { Loading } from "../components/loading";
import { AnonymousRoute } from "../features/auth/components/anonymous-route";
import { AuthenticatedRoute } from "../features/auth/components/authenticated-route";
import { AuthenticatedLayout } from "./authenticated-layout";
import { DashboardRoute } from "./routes/dashboard";
import { LoginRoute } from "./routes/login";

// Pages most visits never open (registering is once per account) load on demand, keeping the
// first download small. `load` returns the page component itself (React.lazy wants it as a
// module's default export).
const page = (load: () => Promise<ComponentType>) => lazy(async () => ({ default: await load() }));
const RegisterRoute = page(async () => (await import("./routes/register")).RegisterRoute);
const CheckEmailRoute = page(async () => (await import("./routes/check-email")).CheckEmailRoute);
const ConfirmEmailRoute = page(async () => (await import("./routes/confirm-email")).ConfirmEmailRoute);
const LoginVerifyRoute = page(async () => (await import("./routes/login-verify")).LoginVerifyRoute);
const LoginCodeRoute = page(async () => (await import("./routes/login-code")).LoginCodeRoute);
const ForgotPasswordRoute = page(async () => (await import("./routes/forgot-password")).ForgotPasswordRoute);
const ResetPasswordLinkRoute = page(async () => (await import("./routes/reset-password-link")).ResetPasswordLinkRoute);
const ResetPasswordCodeRoute = page(async () => (await import("./routes/reset-password-code")).ResetPasswordCodeRoute);
const SignInAlertYesRoute = page(async () => (await import("./routes/sign-in-alert-yes")).SignInAlertYesRoute);
const SignInAlertNoRoute = page(async () => (await import("./routes/sign-in-alert-no")).SignInAlertNoRoute);
const ProfileRoute = page(async () => (await import("./routes/profile")).ProfileRoute);
const SecurityRoute = page(async () => (await import("./routes/security")).SecurityRoute);
const SecurityActivityRoute = page(async () => (await import("./routes/security-activity")).SecurityActivityRoute);
const DeleteAccountRoute = page(async () => (await import("./routes/delete-account")).DeleteAccountRoute);
const ManageUsersRoute = page(async () => (await import("./routes/manage-users")).ManageUsersRoute);
const NotFoundRoute = page(async () => (await import("./routes/not-found")).NotFoundRoute);

export function AppRoutes() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/" element={<Navigate to="/dashboard" replace />} />
        <Route path="/register" element={<AnonymousRoute><RegisterRoute /></AnonymousRoute>} />
        <Route path="/check-email" element={<CheckEmailRoute />} />
        <Route path="/confirm-email/:key" element={<ConfirmEmailRoute />} />
        <Route path="/login" element={<AnonymousRoute><LoginRoute /></AnonymousRoute>} />
        <Route path="/login/verify" element={<AnonymousRoute><LoginVerifyRoute /></AnonymousRoute>} />
        <Route path="/login/code" element={<AnonymousRoute><LoginCodeRoute /></AnonymousRoute>} />
        <Route path="/forgot-password" element={<AnonymousRoute><ForgotPasswordRoute /></AnonymousRoute>} />
        <Route path="/reset-password/code" element={<ResetPasswordCodeRoute />} />
        <Route path="/reset-password/:uid/:token" element={<ResetPasswordLinkRoute />} />
        <Route path="/sign-in-alert/:key/yes" element={<SignInAlertYesRoute />} />
        <Route path="/sign-in-alert/:key/no" element={<SignInAlertNoRoute />} />
        <Route element={<AuthenticatedRoute><AuthenticatedLayout /></AuthenticatedRoute>}>
          <Route path="/dashboard" element={<DashboardRoute />} />
          <Route path="/profile" element={<ProfileRoute />} />
          <Route path="/security" element={<SecurityRoute />} />
          <Route path="/security-activity" element={<SecurityActivityRoute />} />
          <Route path="/delete-account" element={<DeleteAccountRoute />} />
          <Route path="/manage/users" element={<ManageUsersRoute />} />
        </Route>
        <Route path="*" element={<NotFoundRoute />} />
      </Routes>
    </Suspense>
  );
}
