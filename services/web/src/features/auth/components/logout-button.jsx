import { useSubmit } from "../../../hooks/use-submit.js";
import { errorMessage } from "../../../lib/error-message.js";
import { useAuth } from "../auth-context.jsx";

/**
 * Revokes the token on the server, forgets the user, then calls onLoggedOut(). If the server
 * could not be told (network down), the user stays signed in and sees why: clearing only the
 * in-memory user would leave a valid cookie behind.
 */
export function LogoutButton({ onLoggedOut }) {
  const { logout } = useAuth();
  const { submit, pending, error } = useSubmit(logout);

  return (
    <div className="logout">
      {error && (
        <p className="form-error" role="alert">
          Could not log out. {errorMessage(error)}
        </p>
      )}
      <button type="button" className="secondary" onClick={() => submit(onLoggedOut)} disabled={pending} aria-busy={pending || undefined}>
        Log out
      </button>
    </div>
  );
}
