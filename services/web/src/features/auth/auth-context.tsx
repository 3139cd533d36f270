// Who is signed in, loaded once when the app starts and shared through context. Nothing about
// the session is stored in JavaScript beyond this in-memory user: the token lives in an
// HttpOnly cookie, and a reload asks `me` again. A login waiting for its second factor keeps its
// challenge here too, in memory only: never in web storage or in history state (which browsers
// write to disk for session restore), so a reload simply starts the login again.
import {
  createContext,
  startTransition,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";
import { isApiError, onSessionEnded } from "../../lib/api-client";
import type { LoginAnswer, User } from "../../lib/api-types";
import { getCsrf } from "./api/get-csrf";
import { getMe } from "./api/get-me";
import { login as loginRequest, type Credentials } from "./api/login";
import { logout as logoutRequest } from "./api/logout";
import { isMfaRequired, mfaChallengeOf, type MfaChallenge } from "./login-answer";

/** What a login step led to: signed in, or a second factor still to give. */
export type LoginOutcome = { user: User; mfa: null } | { user: null; mfa: MfaChallenge };

/** What useAuth() gives. */
export interface AuthContextValue {
  user: User | null;
  loading: boolean;
  /** The second step a login is waiting for (from login/ or login/code/confirm/), or null. */
  pendingMfa: MfaChallenge | null;
  login: (credentials: Credentials) => Promise<LoginOutcome>;
  /** Takes any login answer: signs in with it, or keeps its challenge as pendingMfa. */
  acceptLogin: (answer: LoginAnswer) => LoginOutcome;
  /** Drops the pending challenge (given up, or dead: invalid_challenge). */
  forgetPendingMfa: () => void;
  logout: (afterLogout?: () => void) => Promise<void>;
  setUser: (user: User) => void;
  endSession: (afterwards?: () => void) => void;
  /** Asks `me` again: keeps whom it answers, or forgets the user (e.g. after "This wasn't me"). */
  refreshUser: () => Promise<void>;
}

interface AuthState {
  status: "loading" | "ready";
  user: User | null;
  mfa: MfaChallenge | null;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children?: ReactNode }) {
  // status: "loading" until the first `me` answers, then "ready".
  const [state, setState] = useState<AuthState>({ status: "loading", user: null, mfa: null });
  // StrictMode runs effects twice in development; the start-up load must still happen once.
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void (async () => {
      try {
        await getCsrf();
      } catch {
        // Not fatal: login fetches the cookie again if it is missing.
      }
      try {
        const user = await getMe();
        setState((current) => ({ ...current, status: "ready", user: user && typeof user === "object" ? user : null }));
      } catch {
        // 401 means anonymous; if the API is down the login page will show the real error.
        setState((current) => ({ ...current, status: "ready", user: null }));
      }
    })();
  }, []);

  // A 401 from any later call means the session ended (expired, revoked elsewhere): forget the
  // user and the route guards send them to the login page.
  useEffect(() => onSessionEnded(() => setState({ status: "ready", user: null, mfa: null })), []);

  const acceptLogin = useCallback((answer: LoginAnswer): LoginOutcome => {
    if (isMfaRequired(answer)) {
      const mfa = mfaChallengeOf(answer);
      setState({ status: "ready", user: null, mfa });
      return { user: null, mfa };
    }
    setState({ status: "ready", user: answer.user, mfa: null });
    return { user: answer.user, mfa: null };
  }, []);

  const login = useCallback(async (credentials: Credentials) => acceptLogin(await loginRequest(credentials)), [acceptLogin]);

  const forgetPendingMfa = useCallback(() => setState((current) => ({ ...current, mfa: null })), []);

  /**
   * Revokes the token on the server, then forgets the user. `afterLogout` (e.g. navigating to
   * the login page) runs in the same transition as the state change, so the route guards never
   * see "no user, still on /dashboard" and add a `next` back to the page being left.
   */
  const logout = useCallback(async (afterLogout?: () => void) => {
    try {
      await logoutRequest();
    } catch (error) {
      // 401: the session was already over, which is what logging out wants anyway.
      if (!isApiError(error) || error.status !== 401) throw error;
    }
    startTransition(() => {
      setState({ status: "ready", user: null, mfa: null });
      afterLogout?.();
    });
  }, []);

  /** Replaces the signed-in user, e.g. with what PATCH me returned. */
  const setUser = useCallback((user: User) => setState({ status: "ready", user, mfa: null }), []);

  /**
   * Forgets the user after the server already ended the session (log out everywhere, account
   * deleted, password reset). Like logout, `afterwards` runs in the same transition.
   */
  const endSession = useCallback((afterwards?: () => void) => {
    startTransition(() => {
      setState({ status: "ready", user: null, mfa: null });
      afterwards?.();
    });
  }, []);

  /**
   * Asks `me` again after something outside this session may have ended it ("This wasn't me"
   * from a new-device email signs out every session of that account): the user it answers
   * stays signed in (another account's session lives on); a 401, or no answer, forgets the user.
   */
  const refreshUser = useCallback(async () => {
    let user: User | null = null;
    try {
      const answer = await getMe();
      user = answer && typeof answer === "object" ? answer : null;
    } catch {
      // 401: the session is over. No answer at all: it may well be, and the next call will tell.
    }
    startTransition(() => setState((current) => ({ ...current, status: "ready", user })));
  }, []);

  const value = useMemo<AuthContextValue>(
    () => ({
      user: state.user,
      loading: state.status === "loading",
      pendingMfa: state.mfa,
      login,
      acceptLogin,
      forgetPendingMfa,
      logout,
      setUser,
      endSession,
      refreshUser,
    }),
    [state, login, acceptLogin, forgetPendingMfa, logout, setUser, endSession, refreshUser],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/**
 * {user, loading, pendingMfa, login({identifier, password}), acceptLogin(answer), forgetPendingMfa(),
 * logout(afterLogout), setUser(user), endSession(afterwards), refreshUser()}
 */
export function useAuth(): AuthContextValue {
  const context = useContext(AuthContext);
  if (context === null) throw new Error("useAuth() must be used inside <AuthProvider>");
  return context;
}

/** The signed-in user, or null. */
export function useUser(): User | null {
  return useAuth().user;
}

/** The signed-in user, on pages that only render behind AuthenticatedRoute. */
export function useSignedInUser(): User {
  const { user } = useAuth();
  if (user === null) throw new Error("useSignedInUser() must be used behind <AuthenticatedRoute>");
  return user;
}
