import { useEffect, useRef, useState, type ReactNode, type Ref } from "react";
import { LoadFailed, Loading } from "../../../components/loading";
import { useLoad } from "../../../hooks/use-load";
import { useSubmit } from "../../../hooks/use-submit";
import type { SecurityEvent } from "../../../lib/api-types";
import { errorMessage } from "../../../lib/error-message";
import { formatExactDateTime } from "../../../lib/format";
import { formatRelativeTime } from "../../../lib/relative-time";
import { useTranslation } from "../../../lib/use-translation";
import { getSecurityLog } from "../api/get-security-log";
import { eventSentence } from "../event-sentence";

const newestPage = () => getSecurityLog();

/** "Chrome 131 on Linux · 2 hours ago · 203.0.113.4", leaving out what the API does not know. */
function EventMeta({ event }: { event: SecurityEvent }) {
  const parts: ReactNode[] = [];
  if (event.device) parts.push(event.device);
  parts.push(
    <time dateTime={event.created_at} title={formatExactDateTime(event.created_at)}>
      {formatRelativeTime(event.created_at)}
    </time>,
  );
  if (event.ip) parts.push(event.ip);
  return (
    <p className="hint event-meta">
      {parts.map((part, index) => (
        <span key={index}>
          {index > 0 && " · "}
          {part}
        </span>
      ))}
    </p>
  );
}

function EventItem({ event, focusRef }: { event: SecurityEvent; focusRef?: Ref<HTMLLIElement> }) {
  const { t } = useTranslation("security-log");
  const { t: events } = useTranslation("security-log", { keyPrefix: "events" });
  const newDevice = Boolean(event.details && typeof event.details === "object" && event.details.new_device === true);
  return (
    <li className={event.disowned ? "event disowned" : "event"} ref={focusRef} tabIndex={focusRef ? -1 : undefined}>
      <p className="event-what">
        {eventSentence(event, events)}
        {event.current_session && <> <strong className="badge">{t("thisSession")}</strong></>}
        {newDevice && <> <strong className="badge">{t("newDevice")}</strong></>}
        {event.disowned && <> <strong className="badge danger">{t("disowned")}</strong></>}
      </p>
      <EventMeta event={event} />
    </li>
  );
}

/** The rows of `older` that `shown` does not have yet (a row may move while the log grows). */
function append(shown: SecurityEvent[], older: SecurityEvent[]): SecurityEvent[] {
  const ids = new Set(shown.map((event) => event.id));
  return [...shown, ...older.filter((event) => !ids.has(event.id))];
}

/**
 * The account's security log, newest first: each event as a sentence, where and when it came
 * from, and marks for this session, a new device and a sign-in the owner disowned. "Show older"
 * appends the next page until there is none.
 */
export function SecurityActivity() {
  const { t } = useTranslation("security-log");
  const state = useLoad(newestPage);
  const older = useSubmit(getSecurityLog);
  // After "Show older", focus goes to the first row it added (the button may be gone).
  const [focusId, setFocusId] = useState<number | null>(null);
  const focusRef = useRef<HTMLLIElement>(null);

  useEffect(() => {
    if (focusId !== null) focusRef.current?.focus();
  }, [focusId]);

  if (state.status === "loading") return <Loading label={t("loading")} />;
  if (state.status === "failed") {
    return <LoadFailed message={t("loadFailed")} error={state.error} retry={() => void state.reload()} />;
  }
  const { next, results } = state.data;

  async function showOlder() {
    if (!next) return;
    const result = await older.submit(next);
    if (!result.ok) return;
    const page = result.data;
    const added = page.results.find((event) => !results.some((shown) => shown.id === event.id));
    state.setData((current) => ({ ...current, next: page.next, results: append(current.results, page.results) }));
    setFocusId(added?.id ?? null);
  }

  return (
    <>
      {results.length === 0 ? (
        <p>{t("empty")}</p>
      ) : (
        <ol className="events" aria-label={t("list")}>
          {results.map((event) => (
            <EventItem key={event.id} event={event} focusRef={event.id === focusId ? focusRef : undefined} />
          ))}
        </ol>
      )}
      {older.error && (
        <p className="form-error" role="alert">
          {t("olderFailed")} {errorMessage(older.error)}
        </p>
      )}
      {next && (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => void showOlder()} disabled={older.pending}
            aria-busy={older.pending || undefined}>
            {t("showOlder")}
          </button>
        </div>
      )}
    </>
  );
}
