// The signed-in user, loaded once when the app starts and shared through context.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { onSessionEnded } from "../../lib/api-client.js";
import { getCsrf } from "./api/get-csrf.js";
import { getMe } from "./api/get-me.js";
import { login as loginRequest } from "./api/login.js";
import { logout as logoutRequest } from "./api/logout.js";

const AuthContext = createContext(null);

export function AuthProvider({ children }) {
  const [state, setState] = useState({ status: "loading", user: null });

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        await getCsrf();
      } catch {
        // The me call below reports the real problem.
      }
      try {
        const user = await getMe();
        if (!cancelled) setState({ status: "ready", user });
      } catch {
        if (!cancelled) setState({ status: "ready", user: null });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, []);

  // A 401 anywhere means the session is over: the route guards send the user to login.
  useEffect(() => onSessionEnded(() => setState({ status: "ready", user: null })), []);

  const login = useCallback(async (credentials) => {
    const data = await loginRequest(credentials);
    setState({ status: "ready", user: data.user });
    return data.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await logoutRequest();
    } finally {
      setState({ status: "ready", user: null });
    }
  }, []);

  const value = useMemo(
    () => ({ user: state.user, loading: state.status === "loading", login, logout }),
    [state, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth() {
  const context = useContext(AuthContext);
  if (context === null) throw new Error("useAuth() needs an <AuthProvider>");
  return context;
}

export function useUser() {
  return useAuth().user;
}
