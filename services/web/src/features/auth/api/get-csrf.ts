// The CSRF cookie is the api client's business (its request interceptor fetches it whenever an
// unsafe request finds none); the start-up load asks for it too, so auth re-exports the call.
export { getCsrf } from "../../../lib/api-client";
