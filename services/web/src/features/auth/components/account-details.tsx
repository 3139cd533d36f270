import type { User } from "../../../lib/api-types";
import { formatDate, yesNo } from "../../../lib/format";
import { roleName } from "../../../lib/roles";
import { useTranslation } from "../../../lib/use-translation";

/** The account as `me` returns it. */
export function AccountDetails({ user }: { user: User }) {
  const { t } = useTranslation("common", { keyPrefix: "accountDetails" });
  return (
    <dl className="details">
      <dt>{t("email")}</dt>
      <dd>{user.email}</dd>
      <dt>{t("username")}</dt>
      <dd>{user.username || "—"}</dd>
      <dt>{t("emailConfirmed")}</dt>
      <dd>{yesNo(user.email_confirmed)}</dd>
      <dt>{t("memberSince")}</dt>
      <dd>
        <time dateTime={user.date_joined}>{formatDate(user.date_joined)}</time>
      </dd>
      <dt>{t("roles")}</dt>
      <dd>{user.roles?.length ? user.roles.map(roleName).join(", ") : "—"}</dd>
    </dl>
  );
}
