import { useSearchParams } from "react-router-dom";
import { Page } from "../../components/page";
import { NO_ACCESS, UsersAdmin, type UsersQuery } from "../../features/admin-users/components/users-admin";
import { useUser } from "../../features/auth/auth-context";
import { isAdmin } from "../../lib/roles";

/** The admins' user list. The search and page live in the URL (?search=&page=). */
export function ManageUsersRoute() {
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
    <Page title="Users" wide="full">
      <h1>Users</h1>
      {isAdmin(user) ? (
        <UsersAdmin search={search} page={page} onQueryChange={onQueryChange} />
      ) : (
        <p role="alert">{NO_ACCESS}</p>
      )}
    </Page>
  );
}
