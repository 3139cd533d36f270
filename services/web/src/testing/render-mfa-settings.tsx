import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { StrictMode } from "react";
import { fakeApi, type FakeRoute } from "./fake-api";
import { mfaOff } from "./mfa-fixtures";
import { MfaSettings } from "../features/mfa/components/mfa-settings";

/** <MfaSettings/> under StrictMode against a fake API (two-factor off, no passkeys unless told). */
export function renderMfaSettings(routes: Record<string, FakeRoute> = {}) {
  document.cookie = "csrftoken=abc; path=/";
  const server = fakeApi({ "GET /auth/mfa/": { status: 200, data: mfaOff }, "GET /auth/mfa/webauthn/": { status: 200, data: [] }, ...routes });
  const user = userEvent.setup();
  const view = render(
    <StrictMode>
      <MfaSettings />
    </StrictMode>,
  );
  return { ...view, server, user };
}
