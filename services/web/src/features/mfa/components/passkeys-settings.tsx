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
import { addWebauthnCredential } from "../api/add-webauthn-credential";
import { removeWebauthnCredential } from "../api/remove-webauthn-credential";
import { renameWebauthnCredential } from "../api/rename-webauthn-credential";
import { RecoveryCodesPanel } from "./recovery-codes-panel";

const kindOf = (credential: Pick<WebauthnCredential, "passwordless">) => (credential.passwordless ? "Passkey" : "Security key");

function RenameForm({ credential, onRenamed, onCancel }: {
  credential: WebauthnCredential;
  onRenamed: (credential: WebauthnCredential) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(credential.name);
  const rename = useSubmit(renameWebauthnCredential);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await rename.submit(credential.id, name);
    if (result.ok) onRenamed(result.data);
  }
  return (
    <Form onSubmit={onSubmit} error={rename.error} message={errorMessage(rename.error, ["name"])} className="inline-form"
      aria-label={`Rename ${credential.name}`}>
      <FormField label="New name" name="name" maxLength={64} required autoFocus value={name}
        onChange={(event) => setName(event.target.value)} errors={rename.error?.fields.name} />
      <div className="actions">
        <button type="submit" className="small" disabled={rename.pending} aria-busy={rename.pending || undefined}>
          Save
        </button>
        <button type="button" className="secondary small" onClick={onCancel}>
          Cancel
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
      <td>{kindOf(credential)}</td>
      <td>
        <time dateTime={credential.created_at}>{formatDateTime(credential.created_at)}</time>
      </td>
      <td>
        {credential.last_used_at ? (
          <time dateTime={credential.last_used_at}>{formatDateTime(credential.last_used_at)}</time>
        ) : (
          "Never"
        )}
      </td>
      <td>
        {mode === "remove" ? (
          <div className="confirm" role="group" aria-label={`Remove ${credential.name}?`}>
            {remove.error && (
              <p className="form-error" role="alert">
                {errorMessage(remove.error)}
              </p>
            )}
            <p>You will no longer be able to sign in with it.</p>
            <div className="actions">
              <button type="button" className="danger small" autoFocus onClick={() => void confirmRemove()}
                disabled={remove.pending} aria-busy={remove.pending || undefined}>
                Yes, remove
              </button>
              <button type="button" className="secondary small" onClick={() => setMode("view")} disabled={remove.pending}>
                Keep it
              </button>
            </div>
          </div>
        ) : (
          mode === "view" && (
            <div className="actions row-actions">
              <button type="button" className="secondary small" aria-label={`Rename ${credential.name}`} onClick={() => setMode("rename")}>
                Rename
              </button>
              <button type="button" className="secondary small" aria-label={`Remove ${credential.name}`} onClick={() => setMode("remove")}>
                Remove
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
  const headingId = useId();
  const [name, setName] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const add = useSubmit(addWebauthnCredential);

  async function addCredential(passwordless: boolean) {
    setNotice(null);
    // A blank name is fine: the kind is a name until it is renamed.
    const result = await add.submit({ name: name.trim() || (passwordless ? "Passkey" : "Security key"), passwordless });
    if (!result.ok) return;
    const added = result.data.credential;
    setName("");
    setNotice(`Added ${kindOf(added).toLowerCase()} “${added.name}”.`);
    if (result.data.recovery_codes.length > 0) setCodes(result.data.recovery_codes);
    reload();
    onFactorsChanged();
  }

  function removed(credential: WebauthnCredential) {
    setNotice(`Removed “${credential.name}”.`);
    reload();
    onFactorsChanged();
  }

  const list = credentials.data;

  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>Passkeys and security keys</h2>
      <p className="hint">
        A passkey signs you in without a password (your device checks your fingerprint, face or PIN). A security key is a
        second step after your password.
      </p>
      {credentials.status === "failed" && <LoadFailed what="your passkeys" error={credentials.error} retry={reload} />}
      {!list && credentials.status === "loading" && <Loading label="Loading passkeys…" />}
      <StatusMessage message={notice} className="notice success" />
      {codes && (
        <RecoveryCodesPanel title="Two-factor authentication is on" codes={codes} onDone={() => setCodes(null)} />
      )}
      {list && list.length === 0 && <p>You have no passkeys or security keys yet.</p>}
      {list && list.length > 0 && (
        <div className="table-scroll" role="group" aria-label="Passkeys table" tabIndex={0}>
          <table className="table passkeys">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
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
      }} error={add.error} message={errorMessage(add.error, ["name"])} aria-label="Add a passkey or security key">
        <FormField label="Passkey name" name="name" maxLength={64} value={name} onChange={(event) => setName(event.target.value)}
          errors={add.error?.fields.name} hint="Optional: something to tell it apart, like “Work laptop” or “Blue YubiKey”." />
        <div className="actions">
          <button type="submit" disabled={add.pending} aria-busy={add.pending || undefined}>
            Add a passkey
          </button>
          <button type="button" className="secondary" disabled={add.pending} onClick={() => void addCredential(false)}>
            Add a security key
          </button>
        </div>
      </Form>
    </section>
  );
}
