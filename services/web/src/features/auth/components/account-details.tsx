import type { User } from "../../../lib/api-types";

function formatDate(value: string | null | undefined) {
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  return new Intl.DateTimeFormat(undefined, { dateStyle: "long" }).format(date);
}

/** The account as `me` returns it. */
export function AccountDetails({ user }: { user: User }) {
  return (
    <dl className="details">
      <dt>Email</dt>
      <dd>{user.email}</dd>
      <dt>Username</dt>
      <dd>{user.username || "—"}</dd>
      <dt>Email confirmed</dt>
      <dd>{user.email_confirmed ? "Yes" : "No"}</dd>
      <dt>Member since</dt>
      <dd>
        <time dateTime={user.date_joined}>{formatDate(user.date_joined)}</time>
      </dd>
      <dt>Roles</dt>
      <dd>{user.roles?.length ? user.roles.join(", ") : "—"}</dd>
    </dl>
  );
}
