import { useCallback } from "react";
import { Form } from "../../../components/form";
import { FormField } from "../../../components/form-field";
import { ModalDialog } from "../../../components/modal-dialog";
import { useForm } from "../../../hooks/use-form";
import { useSubmit } from "../../../hooks/use-submit";
import { errorMessage } from "../../../lib/error-message";
import { fieldErrorsWith } from "../../../lib/field-errors";
import { useTranslation } from "../../../lib/use-translation";
import { getAssertion } from "../../../lib/webauthn";
import { beginWebauthnReauthentication } from "../api/begin-webauthn-reauthentication";
import { reauthenticate } from "../api/reauthenticate";

const FIELDS = ["password", "code"];

/** What the account can prove itself with besides its password (from GET mfa/). */
export interface ReauthMethods {
  totp: boolean;
  passkey: boolean;
}

interface ReauthDialogProps {
  methods: ReauthMethods;
  /** POST reauthenticate/ succeeded: the refused request can be sent again. */
  onConfirmed: () => void;
  onCancel: () => void;
  returnFocusTo?: HTMLElement | null;
}

/** A password wins when both are typed: the API takes exactly one proof. */
function send({ password, code }: { password: string; code: string }) {
  return reauthenticate(password === "" && code.trim() !== "" ? { code } : { password });
}

async function withPasskey() {
  const options = await beginWebauthnReauthentication();
  return reauthenticate({ credential: await getAssertion(options) });
}

/**
 * "Confirm it's you": the API wants a fresh proof before a sensitive change. The password, or a
 * code from the authenticator app when there is one, or a passkey / security key.
 */
export function ReauthDialog({ methods, onConfirmed, onCancel, returnFocusTo }: ReauthDialogProps) {
  const { t } = useTranslation("reauth");
  const { values, change, handleSubmit, pending, error } = useForm({ password: "", code: "" }, send);
  const passkey = useSubmit(withPasskey);
  const onSubmit = handleSubmit({ onSuccess: onConfirmed });
  const confirmWithPasskey = useCallback(async () => {
    const result = await passkey.submit();
    if (result.ok) onConfirmed();
  }, [passkey, onConfirmed]);

  // A wrong password or code is a message about its field, not about the whole form.
  const fieldErrors =
    error?.code === "invalid_code" ? fieldErrorsWith(error, "invalid_code", "code") : fieldErrorsWith(error, "invalid_password", "password");
  const message = error?.code === "invalid_password" || error?.code === "invalid_code" ? null : errorMessage(error, FIELDS);
  const busy = pending || passkey.pending;

  return (
    <ModalDialog title={t("title")} onCancel={onCancel} returnFocusTo={returnFocusTo}>
      <p>{t(methods.totp ? "introWithApp" : "intro")}</p>
      <Form onSubmit={onSubmit} error={error} message={message}>
        <FormField label={t("password")} name="password" type="password" autoComplete="current-password"
          data-autofocus value={values.password} onChange={change} errors={fieldErrors.password} />
        {methods.totp && (
          <FormField label={t("code")} name="code" inputMode="numeric" autoComplete="one-time-code"
            spellCheck={false} hint={t("codeHint")}
            value={values.code} onChange={change} errors={fieldErrors.code} />
        )}
        <div className="actions">
          <button type="submit" disabled={busy} aria-busy={pending || undefined}>
            {t("confirm")}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            {t("cancel")}
          </button>
        </div>
      </Form>
      {methods.passkey && (
        <>
          {passkey.error && (
            <p className="form-error" role="alert">
              {errorMessage(passkey.error)}
            </p>
          )}
          <button type="button" className="secondary" onClick={() => void confirmWithPasskey()} disabled={busy}
            aria-busy={passkey.pending || undefined}>
            {t("passkey")}
          </button>
        </>
      )}
    </ModalDialog>
  );
}
