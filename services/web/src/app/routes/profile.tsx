import { Page } from "../../components/page";
import { DownloadAccountData } from "../../features/account/components/download-account-data";
import { ProfileForm } from "../../features/account/components/profile-form";
import { useAuth, useSignedInUser } from "../../features/auth/auth-context";

export function ProfileRoute() {
  const user = useSignedInUser();
  const { setUser } = useAuth();
  return (
    <Page title="Profile">
      <h1>Profile</h1>
      <ProfileForm user={user} onSaved={setUser} />
      <DownloadAccountData />
    </Page>
  );
}
