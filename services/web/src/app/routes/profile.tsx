import { Page } from "../../components/page";
import { DownloadAccountData } from "../../features/account/components/download-account-data";
import { ProfileForm } from "../../features/account/components/profile-form";
import { useAuth, useSignedInUser } from "../../features/auth/auth-context";
import { useTranslation } from "../../lib/use-translation";

export function ProfileRoute() {
  const { t } = useTranslation("account", { keyPrefix: "profile" });
  const user = useSignedInUser();
  const { setUser } = useAuth();
  return (
    <Page title={t("title")}>
      <h1>{t("title")}</h1>
      <ProfileForm user={user} onSaved={setUser} />
      <DownloadAccountData />
    </Page>
  );
}
