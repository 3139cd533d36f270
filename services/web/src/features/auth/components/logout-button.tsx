import { useSubmit } from "../../../hooks/use-submit";
import { errorMessage } from "../../../lib/error-message";
import { useTranslation } from "../../../lib/use-translation";
import { useAuth } from "../auth-context";

/**
 * Revokes the token on the server, forgets the user, then calls onLoggedOut(). If the server
 * could not be told (network down), the user stays signed in and sees why: clearing only the
 * in-memory user would leave a valid cookie behind.
 */
export function LogoutButton({ onLoggedOut }: { onLoggedOut: () => void }) {
  const { t } = useTranslation("common", { keyPrefix: "logout" });
  const { logout } = useAuth();
  const { submit, pending, error } = useSubmit(logout);

  return (
    <div className="logout">
      {error && (
        <p className="form-error" role="alert">
          {t("failed")} {errorMessage(error)}
        </p>
      )}
      <button type="button" className="secondary" onClick={() => void submit(onLoggedOut)} disabled={pending} aria-busy={pending || undefined}>
        {t("button")}
      </button>
    </div>
  );
}
