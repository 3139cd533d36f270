import { useCallback, useId, useState } from "react";
import { useLoad } from "../../../hooks/use-load";
import { asApiError, type ApiError } from "../../../lib/api-client";
import type { AdminUser, AdminUserChanges } from "../../../lib/api-types";
import { ROLES } from "../../../lib/constants";
import { LoadFailed, Loading } from "../../../components/loading";
import { StatusMessage } from "../../../components/status-message";
import { errorMessage } from "../../../lib/error-message";
import { yesNo } from "../../../lib/format";
import { pageCount } from "../../../lib/pagination";
import { roleName } from "../../../lib/roles";
import { useTranslation } from "../../../lib/use-translation";
import { getUsers } from "../api/get-users";
import { resetUserMfa } from "../api/reset-user-mfa";
import { updateUser } from "../api/update-user";

function SearchForm({ initial, onSearch }: { initial: string; onSearch: (text: string) => void }) {
  const { t } = useTranslation("admin-users", { keyPrefix: "search" });
  const id = useId();
  const [text, setText] = useState(initial);
  return (
    <form role="search" className="search"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(text);
      }}>
      <label htmlFor={id}>{t("label")}</label>
      <div className="search-row">
        <input id={id} name="search" type="search" value={text} onChange={(event) => setText(event.target.value)}
          autoCapitalize="none" spellCheck={false} />
        <button type="submit">{t("submit")}</button>
      </div>
    </form>
  );
}

interface UserRowProps {
  user: AdminUser;
  busy: boolean;
  onChange: (user: AdminUser, changes: AdminUserChanges) => void;
  onResetMfa: (user: AdminUser) => Promise<boolean>;
}

/** "Reset two-factor", after a confirmation: it cannot be undone, and the user must set it up again. */
function ResetMfa({ user, busy, onReset }: { user: AdminUser; busy: boolean; onReset: (user: AdminUser) => Promise<boolean> }) {
  const { t } = useTranslation("admin-users", { keyPrefix: "resetMfa" });
  const [step, setStep] = useState<"idle" | "asked" | "back">("idle");
  if (step !== "asked") {
    return (
      <button type="button" className="secondary small" disabled={busy} autoFocus={step === "back"}
        aria-label={t("buttonFor", { email: user.email })} onClick={() => setStep("asked")}>
        {t("button")}
      </button>
    );
  }
  return (
    <div className="confirm" role="group" aria-label={t("question", { email: user.email })}>
      <p>{t("explanation")}</p>
      <div className="actions">
        <button type="button" className="danger small" autoFocus disabled={busy} aria-busy={busy || undefined}
          onClick={() => void onReset(user).then((done) => setStep(done ? "idle" : "asked"))}>
          {t("confirm")}
        </button>
        <button type="button" className="secondary small" disabled={busy} onClick={() => setStep("back")}>
          {t("cancel")}
        </button>
      </div>
    </div>
  );
}

function UserRow({ user, busy, onChange, onResetMfa }: UserRowProps) {
  const { t } = useTranslation("admin-users", { keyPrefix: "row" });
  const roles = Array.isArray(user.roles) ? user.roles : [];
  const toggleRole = (role: string, checked: boolean) =>
    onChange(user, { roles: ROLES.filter((r) => (r === role ? checked : roles.includes(r))) });
  return (
    <tr>
      <td>{user.email}</td>
      <td>{user.username || "—"}</td>
      <td>{yesNo(user.is_active)}</td>
      <td>{yesNo(user.email_confirmed)}</td>
      <td>
        <div className="roles">
          {ROLES.map((role) => (
            <label key={role} className="checkbox">
              <input type="checkbox" checked={roles.includes(role)} disabled={busy}
                aria-label={t("roleFor", { role: roleName(role), email: user.email })}
                onChange={(event) => toggleRole(role, event.target.checked)} />
              {roleName(role)}
            </label>
          ))}
        </div>
      </td>
      <td>{yesNo(user.mfa_enabled)}</td>
      <td>
        <div className="cell-actions">
          <button type="button" className="secondary small" disabled={busy} aria-busy={busy || undefined}
            aria-label={t(user.is_active ? "deactivateUser" : "activateUser", { email: user.email })}
            onClick={() => onChange(user, { is_active: !user.is_active })}>
            {t(user.is_active ? "deactivate" : "activate")}
          </button>
          {user.mfa_enabled && <ResetMfa user={user} busy={busy} onReset={onResetMfa} />}
        </div>
      </td>
    </tr>
  );
}

/**
 * The user list for admins: search, pages (of the API's size), activate/deactivate and roles. `search` and
 * `page` come from the caller (the URL), and onQueryChange({search, page}) asks for others.
 */
/** The list's query, as the URL holds it. */
export interface UsersQuery {
  search: string;
  page: number;
}

interface UsersAdminProps extends UsersQuery {
  onQueryChange: (query: UsersQuery) => void;
}

export function UsersAdmin({ search, page, onQueryChange }: UsersAdminProps) {
  const { t } = useTranslation("admin-users");
  // The answer keeps the page it is for: while the next one loads, the count stays its own.
  const state = useLoad(useCallback(async () => ({ page, ...(await getUsers({ search, page })) }), [search, page]));
  const [busyId, setBusyId] = useState<number | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function resetMfa(user: AdminUser): Promise<boolean> {
    if (busyId !== null) return false;
    setBusyId(user.id);
    setActionError(null);
    setNotice(null);
    try {
      await resetUserMfa(user.id);
      state.setData((data) => ({
        ...data,
        results: data.results.map((row) => (row.id === user.id ? { ...row, mfa_enabled: false } : row)),
      }));
      setNotice(t("resetMfa.done", { email: user.email }));
      return true;
    } catch (caught) {
      setActionError(asApiError(caught));
      return false;
    } finally {
      setBusyId(null);
    }
  }

  async function change(user: AdminUser, changes: AdminUserChanges) {
    if (busyId !== null) return;
    setBusyId(user.id);
    setActionError(null);
    setNotice(null);
    try {
      const updated = await updateUser(user.id, changes);
      state.setData((data) => ({
        ...data,
        results: data.results.map((row) => (row.id === user.id ? { ...row, ...updated } : row)),
      }));
    } catch (caught) {
      setActionError(asApiError(caught));
    } finally {
      setBusyId(null);
    }
  }

  if (state.error?.status === 403) return <p role="alert">{t("noAccess")}</p>;

  const data = state.data;
  const pages = data ? pageCount(data, data.page) : 1;

  return (
    <>
      <SearchForm key={search} initial={search} onSearch={(text) => onQueryChange({ search: text.trim(), page: 1 })} />
      {actionError && (
        <p className="form-error" role="alert">
          {errorMessage(actionError)}
        </p>
      )}
      <StatusMessage message={notice} className="notice success" />
      {state.status === "failed" && (
        <LoadFailed message={t("loadFailed")} error={state.error} retry={() => void state.reload()} />
      )}
      {state.status === "loading" && <Loading label={t("loading")} />}
      {data && (
        <>
          <p className="hint" aria-live="polite">
            {t(search ? "summaryMatching" : "summary", { count: data.count, search, page, pages })}
          </p>
          <div className="table-scroll" role="group" aria-label={t("table.label")} tabIndex={0}>
            <table className="table users">
              <thead>
                <tr>
                  <th scope="col">{t("table.email")}</th>
                  <th scope="col">{t("table.username")}</th>
                  <th scope="col">{t("table.active")}</th>
                  <th scope="col">{t("table.confirmed")}</th>
                  <th scope="col">{t("table.roles")}</th>
                  <th scope="col">{t("table.twoFactor")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("table.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.results.map((user) => (
                  <UserRow key={user.id} user={user} busy={busyId !== null} onChange={(row, changes) => void change(row, changes)}
                    onResetMfa={resetMfa} />
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label={t("pager.label")}>
            <button type="button" className="secondary" disabled={!data.previous || state.status === "loading"}
              onClick={() => onQueryChange({ search, page: page - 1 })}>
              {t("pager.previous")}
            </button>
            <button type="button" className="secondary" disabled={!data.next || state.status === "loading"}
              onClick={() => onQueryChange({ search, page: page + 1 })}>
              {t("pager.next")}
            </button>
          </nav>
        </>
      )}
    </>
  );
}
