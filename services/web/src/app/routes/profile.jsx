import { Page } from "../../components/page.jsx";
import { ProfileForm } from "../../features/account/components/profile-form.jsx";
import { useAuth } from "../../features/auth/auth-context.jsx";

export function ProfileRoute() {
  const { user, setUser } = useAuth();
  return (
    <Page title="Profile">
      <h1>Profile</h1>
      <ProfileForm user={user} onSaved={setUser} />
    </Page>
  );
}
