// The CSRF cookie is shared by every feature, so the helpers live in lib/; auth re-exports them.
export { ensureCsrf, getCsrf, hasCsrfCookie } from "../../../lib/csrf";
