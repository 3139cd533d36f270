// Proof that the import boundaries in eslint.config.js bite: the real config, through ESLint's
// Node API, on source text placed at real paths of the app (so the type-aware setup applies).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RULE = "import-x/no-restricted-paths";

let eslint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** The boundary rule's messages for `code` as if it were the file at `file` (under src/). */
async function boundaryErrors(file, code) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((message) => message.ruleId === RULE).map((message) => message.message);
}

const useAuth = (from) => `import { useAuth } from "${from}";\nexport const probe = useAuth;\n`;

describe("the import boundaries", { timeout: 60000 }, () => {
  it("stop a feature from importing another feature's internals", async () => {
    const errors = await boundaryErrors("src/features/account/components/profile-form.tsx", useAuth("../../auth/auth-context"));
    expect(errors).toEqual([
      'Unexpected path "../../auth/auth-context" imported in restricted zone. ' +
        "features/account may not import another feature: compose features in src/app instead.",
    ]);
  });

  it.each([
    ["src/lib/format.ts", useAuth("../features/auth/auth-context")],
    ["src/components/page.tsx", useAuth("../features/auth/auth-context")],
    ["src/hooks/use-load.ts", 'import { AppRoutes } from "../app/router";\nexport const probe = AppRoutes;\n'],
  ])("stop the shared %s from importing features or app", async (file, code) => {
    const errors = await boundaryErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("lib, components and hooks are shared by every feature");
  });

  it("let a feature use its own files and the shared folders, and app use features", async () => {
    const own = 'import { getUsers } from "../api/get-users";\nimport { formatDateTime } from "../../../lib/format";\n' +
      "export const probe = [getUsers, formatDateTime];\n";
    expect(await boundaryErrors("src/features/admin-users/components/users-admin.tsx", own)).toEqual([]);
    expect(await boundaryErrors("src/app/routes/profile.tsx", useAuth("../../features/auth/auth-context"))).toEqual([]);
  });
});
