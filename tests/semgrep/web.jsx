// Cases for `semgrep --test` (see web.yaml). Not part of the app; ESLint ignores this directory.
import { Navigate, useNavigate, useSearchParams } from "react-router-dom";

export function Unsafe({ html, params }) {
  const navigate = useNavigate();
  // ruleid: no-location-from-untrusted-url
  navigate(params.get("next"));
  // ruleid: no-dangerously-set-inner-html
  return <div dangerouslySetInnerHTML={{ __html: html }} />;
}

export function Safe({ text, safeNext }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  // ok: no-location-from-untrusted-url
  navigate(safeNext(params.get("next")));
  // ok: no-dangerously-set-inner-html
  return <div>{text}</div>;
}

export function RedirectAway() {
  const [params] = useSearchParams();
  // ruleid: no-location-from-untrusted-url
  return <Navigate to={params.get("next")} replace />;
}

export function dom(el, value, token) {
  // ruleid: no-inner-html-assignment
  el.innerHTML = value;
  // ok: no-inner-html-assignment
  el.textContent = value;
  // ruleid: no-web-storage
  localStorage.setItem("token", token);
  // ruleid: no-web-storage
  document.cookie = `token=${token}`;
  // ok: no-web-storage
  localStorage.setItem(LANGUAGE_STORAGE_KEY, "de");
  // ruleid: no-web-storage
  localStorage.setItem(LANGUAGE_STORAGE_KEY + "x", token);
  // ruleid: no-location-from-untrusted-url
  window.location.href = new URLSearchParams(window.location.search).get("next");
}
