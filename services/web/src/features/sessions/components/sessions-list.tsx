import { useId, useState } from "react";
import { LoadFailed, Loading } from "../../../components/loading";
import { useLoad } from "../../../hooks/use-load";
import { useSubmit } from "../../../hooks/use-submit";
import { asApiError, type ApiError } from "../../../lib/api-client";
import { errorMessage } from "../../../lib/error-message";
import { formatDateTime } from "../../../lib/format";
import { useTranslation } from "../../../lib/use-translation";
import { getSessions } from "../api/get-sessions";
import { logoutAll } from "../api/logout-all";
import { revokeSession } from "../api/revoke-session";
import { signInMethod } from "../sign-in-method";

/**
 * "Sessions" section: where the account is signed in, with Revoke for every other session and
 * "Log out everywhere", after which onLoggedOutEverywhere() runs.
 */
export function SessionsList({ onLoggedOutEverywhere }: { onLoggedOutEverywhere?: () => void }) {
  const { t } = useTranslation("sessions");
  const { t: methodT } = useTranslation("sessions", { keyPrefix: "signInMethod" });
  const headingId = useId();
  // Quiet: after a revoke, the table stays up until the new list is in.
  const state = useLoad(getSessions, { quiet: true });
  const [revoking, setRevoking] = useState<string | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const everywhere = useSubmit(logoutAll);

  async function revoke(id: string) {
    if (revoking) return;
    setRevoking(id);
    setActionError(null);
    try {
      await revokeSession(id);
    } catch (caught) {
      const error = asApiError(caught);
      // Already gone (404): the refreshed list says so; anything else is worth showing.
      if (error.status !== 404) setActionError(error);
    }
    await state.reload();
    setRevoking(null);
  }

  async function logOutEverywhere() {
    const result = await everywhere.submit();
    if (result.ok) onLoggedOutEverywhere?.();
  }

  const problem = actionError ?? everywhere.error;

  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("title")}</h2>
      <p className="hint">{t("hint")}</p>
      {problem && (
        <p className="form-error" role="alert">
          {errorMessage(problem)}
        </p>
      )}
      {state.status === "loading" && <Loading label={t("loading")} />}
      {state.status === "failed" && (
        <LoadFailed message={t("loadFailed")} error={state.error} retry={() => void state.reload()} />
      )}
      {state.status === "ready" && (
        <div className="table-scroll" role="group" aria-label={t("table.label")} tabIndex={0}>
          <table className="table sessions">
            <thead>
              <tr>
                <th scope="col">{t("table.device")}</th>
                <th scope="col">{t("table.signedInWith")}</th>
                <th scope="col">{t("table.ip")}</th>
                <th scope="col">{t("table.created")}</th>
                <th scope="col">{t("table.lastSeen")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("table.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {state.data.map((session) => (
                <tr key={session.id} aria-current={session.current ? "true" : undefined}>
                  <td className="agent">
                    {session.current && <strong className="badge">{t("thisDevice")}</strong>} {session.user_agent || t("unknownBrowser")}
                  </td>
                  <td>{signInMethod(session, methodT)}</td>
                  <td>{session.ip || "—"}</td>
                  <td>
                    <time dateTime={session.created}>{formatDateTime(session.created)}</time>
                  </td>
                  <td>
                    <time dateTime={session.last_seen ?? undefined}>{formatDateTime(session.last_seen)}</time>
                  </td>
                  <td>
                    {!session.current && (
                      <button type="button" className="secondary small" aria-label={t("revokeSession", { id: session.id })}
                        onClick={() => void revoke(session.id)} disabled={revoking !== null}
                        aria-busy={revoking === session.id || undefined}>
                        {t("revoke")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void logOutEverywhere()} disabled={everywhere.pending}
          aria-busy={everywhere.pending || undefined}>
          {t("logOutEverywhere")}
        </button>
      </div>
    </section>
  );
}
