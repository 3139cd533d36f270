import { useSearchParams } from "react-router-dom";
import { Page } from "../../components/page";
import { UsersAdmin, type UsersQuery } from "../../features/admin-users/components/users-admin";
import { useUser } from "../../features/auth/auth-context";
import { isAdmin } from "../../lib/roles";
import { useTranslation } from "../../lib/use-translation";

/** The admins' user list. The search and page live in the URL (?search=&page=). */
export function ManageUsersRoute() {
  const { t } = useTranslation("admin-users");
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const search = params.get("search") ?? "";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);

  const onQueryChange = (next: UsersQuery) => {
    const query: { search?: string; page?: string } = {};
    if (next.search) query.search = next.search;
    if (next.page > 1) query.page = String(next.page);
    setParams(query);
  };

  return (
    <Page title={t("title")} wide="full">
      <h1>{t("title")}</h1>
      {isAdmin(user) ? (
        <UsersAdmin search={search} page={page} onQueryChange={onQueryChange} />
      ) : (
        <p role="alert">{t("noAccess")}</p>
      )}
    </Page>
  );
}
