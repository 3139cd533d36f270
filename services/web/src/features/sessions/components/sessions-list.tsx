import { useId, useState } from "react";
import { LoadFailed, Loading } from "../../../components/loading";
import { useLoad } from "../../../hooks/use-load";
import { useSubmit } from "../../../hooks/use-submit";
import { asApiError, type ApiError } from "../../../lib/api-client";
import { errorMessage } from "../../../lib/error-message";
import { formatDateTime } from "../../../lib/format";
import { getSessions } from "../api/get-sessions";
import { logoutAll } from "../api/logout-all";
import { revokeSession } from "../api/revoke-session";
import { signInMethod } from "../sign-in-method";

/**
 * "Sessions" section: where the account is signed in, with Revoke for every other session and
 * "Log out everywhere", after which onLoggedOutEverywhere() runs.
 */
export function SessionsList({ onLoggedOutEverywhere }: { onLoggedOutEverywhere?: () => void }) {
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
      <h2 id={headingId}>Sessions</h2>
      <p className="hint">Everywhere your account is logged in. Revoke a session you do not recognise.</p>
      {problem && (
        <p className="form-error" role="alert">
          {errorMessage(problem)}
        </p>
      )}
      {state.status === "loading" && <Loading label="Loading sessions…" />}
      {state.status === "failed" && (
        <LoadFailed what="your sessions" error={state.error} retry={() => void state.reload()} />
      )}
      {state.status === "ready" && (
        <div className="table-scroll" role="group" aria-label="Sessions table" tabIndex={0}>
          <table className="table sessions">
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Signed in with</th>
                <th scope="col">IP address</th>
                <th scope="col">Created</th>
                <th scope="col">Last seen</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {state.data.map((session) => (
                <tr key={session.id} aria-current={session.current ? "true" : undefined}>
                  <td className="agent">
                    {session.current && <strong className="badge">This device</strong>} {session.user_agent || "Unknown browser"}
                  </td>
                  <td>{signInMethod(session)}</td>
                  <td>{session.ip || "—"}</td>
                  <td>
                    <time dateTime={session.created}>{formatDateTime(session.created)}</time>
                  </td>
                  <td>
                    <time dateTime={session.last_seen ?? undefined}>{formatDateTime(session.last_seen)}</time>
                  </td>
                  <td>
                    {!session.current && (
                      <button type="button" className="secondary small" aria-label={`Revoke session ${session.id}`}
                        onClick={() => void revoke(session.id)} disabled={revoking !== null}
                        aria-busy={revoking === session.id || undefined}>
                        Revoke
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
          Log out everywhere
        </button>
      </div>
    </section>
  );
}
