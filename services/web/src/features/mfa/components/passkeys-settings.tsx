import type { TFunction } from "i18next";
import { useId, useState, type FormEvent } from "react";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { LoadFailed, Loading } from "../../../components/loading";
import { StatusMessage } from "../../../components/status-message";
import type { LoadState } from "../../../hooks/use-load";
import { useSubmit } from "../../../hooks/use-submit";
import type { WebauthnCredential } from "../../../lib/api-types";
import { errorMessage } from "../../../lib/error-message";
import { formatDateTime } from "../../../lib/format";
import { useTranslation } from "../../../lib/use-translation";
import { addWebauthnCredential } from "../api/add-webauthn-credential";
import { removeWebauthnCredential } from "../api/remove-webauthn-credential";
import { renameWebauthnCredential } from "../api/rename-webauthn-credential";
import { RecoveryCodesPanel } from "./recovery-codes-panel";

type PasskeysT = TFunction<"mfa", "passkeys">;

/** A passkey signs in on its own; a security key is a second step after the password. */
const kindOf = (passwordless: boolean, t: PasskeysT) => (passwordless ? t("passkey") : t("securityKey"));

function RenameForm({ credential, onRenamed, onCancel }: {
  credential: WebauthnCredential;
  onRenamed: (credential: WebauthnCredential) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation("mfa", { keyPrefix: "passkeys" });
  const [name, setName] = useState(credential.name);
  const rename = useSubmit(renameWebauthnCredential);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await rename.submit(credential.id, name);
    if (result.ok) onRenamed(result.data);
  }
  return (
    <Form onSubmit={onSubmit} error={rename.error} message={errorMessage(rename.error, ["name"])} className="inline-form"
      aria-label={t("renameNamed", { name: credential.name })}>
      <FormField label={t("newName")} name="name" maxLength={64} required autoFocus value={name}
        onChange={(event) => setName(event.target.value)} errors={rename.error?.fields.name} />
      <div className="actions">
        <button type="submit" className="small" disabled={rename.pending} aria-busy={rename.pending || undefined}>
          {t("save")}
        </button>
        <button type="button" className="secondary small" onClick={onCancel}>
          {t("cancel")}
        </button>
      </div>
    </Form>
  );
}

interface CredentialRowProps {
  credential: WebauthnCredential;
  onRenamed: (credential: WebauthnCredential) => void;
  onRemoved: (credential: WebauthnCredential) => void;
}

function CredentialRow({ credential, onRenamed, onRemoved }: CredentialRowProps) {
  const { t } = useTranslation("mfa", { keyPrefix: "passkeys" });
  const [mode, setMode] = useState<"view" | "rename" | "remove">("view");
  const remove = useSubmit(removeWebauthnCredential);

  async function confirmRemove() {
    const result = await remove.submit(credential.id);
    // Already gone (404): the refreshed list says so.
    if (result.ok || result.error?.status === 404) onRemoved(credential);
  }

  return (
    <tr>
      <td>
        {mode === "rename" ? (
          <RenameForm credential={credential} onCancel={() => setMode("view")}
            onRenamed={(renamed) => {
              setMode("view");
              onRenamed(renamed);
            }} />
        ) : (
          credential.name
        )}
      </td>
      <td>{kindOf(credential.passwordless, t)}</td>
      <td>
        <time dateTime={credential.created_at}>{formatDateTime(credential.created_at)}</time>
      </td>
      <td>
        {credential.last_used_at ? (
          <time dateTime={credential.last_used_at}>{formatDateTime(credential.last_used_at)}</time>
        ) : (
          t("never")
        )}
      </td>
      <td>
        {mode === "remove" ? (
          <div className="confirm" role="group" aria-label={t("removeQuestion", { name: credential.name })}>
            {remove.error && (
              <p className="form-error" role="alert">
                {errorMessage(remove.error)}
              </p>
            )}
            <p>{t("removeExplanation")}</p>
            <div className="actions">
              <button type="button" className="danger small" autoFocus onClick={() => void confirmRemove()}
                disabled={remove.pending} aria-busy={remove.pending || undefined}>
                {t("confirmRemove")}
              </button>
              <button type="button" className="secondary small" onClick={() => setMode("view")} disabled={remove.pending}>
                {t("keep")}
              </button>
            </div>
          </div>
        ) : (
          mode === "view" && (
            <div className="actions row-actions">
              <button type="button" className="secondary small" aria-label={t("renameNamed", { name: credential.name })}
                onClick={() => setMode("rename")}>
                {t("rename")}
              </button>
              <button type="button" className="secondary small" aria-label={t("removeNamed", { name: credential.name })}
                onClick={() => setMode("remove")}>
                {t("remove")}
              </button>
            </div>
          )
        )}
      </td>
    </tr>
  );
}

interface PasskeysSettingsProps {
  credentials: LoadState<WebauthnCredential[]>;
  reload: () => void;
  setCredentials: (update: (credentials: WebauthnCredential[]) => WebauthnCredential[]) => void;
  /** Something changed the account's factors: the two-factor status is read again. */
  onFactorsChanged: () => void;
}

/**
 * "Passkeys and security keys": the list (name, kind, created, last used; rename, remove) and
 * adding one. A passkey signs in on its own; a security key is a second step after the password.
 */
export function PasskeysSettings({ credentials, reload, setCredentials, onFactorsChanged }: PasskeysSettingsProps) {
  const { t } = useTranslation("mfa", { keyPrefix: "passkeys" });
  const headingId = useId();
  const [name, setName] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const add = useSubmit(addWebauthnCredential);

  async function addCredential(passwordless: boolean) {
    setNotice(null);
    // A blank name is fine: the kind is a name until it is renamed.
    const result = await add.submit({ name: name.trim() || kindOf(passwordless, t), passwordless });
    if (!result.ok) return;
    const added = result.data.credential;
    setName("");
    setNotice(t(added.passwordless ? "addedPasskey" : "addedSecurityKey", { name: added.name }));
    if (result.data.recovery_codes.length > 0) setCodes(result.data.recovery_codes);
    reload();
    onFactorsChanged();
  }

  function removed(credential: WebauthnCredential) {
    setNotice(t("removed", { name: credential.name }));
    reload();
    onFactorsChanged();
  }

  const list = credentials.data;

  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("title")}</h2>
      <p className="hint">{t("hint")}</p>
      {credentials.status === "failed" && <LoadFailed message={t("loadFailed")} error={credentials.error} retry={reload} />}
      {!list && credentials.status === "loading" && <Loading label={t("loading")} />}
      <StatusMessage message={notice} className="notice success" />
      {codes && (
        <RecoveryCodesPanel title={t("firstFactorOn")} codes={codes} onDone={() => setCodes(null)} />
      )}
      {list && list.length === 0 && <p>{t("none")}</p>}
      {list && list.length > 0 && (
        <div className="table-scroll" role="group" aria-label={t("table.label")} tabIndex={0}>
          <table className="table passkeys">
            <thead>
              <tr>
                <th scope="col">{t("table.name")}</th>
                <th scope="col">{t("table.kind")}</th>
                <th scope="col">{t("table.created")}</th>
                <th scope="col">{t("table.lastUsed")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("table.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((credential) => (
                <CredentialRow key={credential.id} credential={credential} onRemoved={removed}
                  onRenamed={(renamed) => setCredentials((rows) => rows.map((row) => (row.id === renamed.id ? { ...row, ...renamed } : row)))} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Form onSubmit={(event) => {
        event.preventDefault();
        void addCredential(true);
      }} error={add.error} message={errorMessage(add.error, ["name"])} aria-label={t("addLabel")}>
        <FormField label={t("name")} name="name" maxLength={64} value={name} onChange={(event) => setName(event.target.value)}
          errors={add.error?.fields.name} hint={t("nameHint")} />
        <div className="actions">
          <button type="submit" disabled={add.pending} aria-busy={add.pending || undefined}>
            {t("addPasskey")}
          </button>
          <button type="button" className="secondary" disabled={add.pending} onClick={() => void addCredential(false)}>
            {t("addSecurityKey")}
          </button>
        </div>
      </Form>
    </section>
  );
}
