import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import security from "eslint-plugin-security";
import globals from "globals";
import { readdirSync } from "node:fs";
import { defineConfig } from "eslint/config";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

// eslint-plugin-security's recommended set, every rule an error: a finding fails `npm run lint`.
const securityRecommended = {
  ...security.configs.recommended,
  rules: Object.fromEntries(Object.keys(security.configs.recommended.rules).map((rule) => [rule, "error"])),
};

// The import boundaries of bulletproof-react: app composes features; a feature uses the shared
// folders and never another feature (compose them in app/ instead); the shared folders use
// neither. Every folder under src/features is a feature, so a new one is covered at once.
// eslint-disable-next-line security/detect-non-literal-fs-filename -- this repository's own src/features
const features = readdirSync(new URL("./src/features", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const boundaries = {
  files: ["src/**/*.{ts,tsx}"],
  plugins: { "import-x": importX },
  settings: {
    "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".tsx", ".js", ".jsx", ".mjs", ".json"] })],
  },
  rules: {
    "import-x/no-restricted-paths": [
      "error",
      {
        basePath: import.meta.dirname,
        zones: [
          ...features.map((feature) => ({
            target: `./src/features/${feature}`,
            from: "./src/features",
            except: [`./${feature}`],
            message: `features/${feature} may not import another feature: compose features in src/app instead.`,
          })),
          {
            target: ["./src/lib", "./src/components", "./src/hooks"],
            from: ["./src/features", "./src/app"],
            message: "lib, components and hooks are shared by every feature: they may not import features or app.",
          },
        ],
      },
    ],
  },
};

export default defineConfig(
  { ignores: ["dist/", "node_modules/", "coverage/"] },
  js.configs.recommended,
  reactHooks.configs.flat.recommended,
  securityRecommended,
  {
    files: ["**/*.{js,jsx,mjs}"],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      parserOptions: { ecmaFeatures: { jsx: true } },
      globals: { ...globals.browser },
    },
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // The app: TypeScript, linted with its types (tsconfig.json).
    files: ["src/**/*.{ts,tsx}"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      // onSubmit={async (event) => …} is how React forms are written; the promise is awaited inside.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  boundaries,
  {
    rules: {
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-script-url": "error",
      eqeqeq: ["error", "always", { null: "ignore" }],
    },
  },
  {
    files: ["vite.config.js", "eslint.config.js", "scripts/**"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The safe-next tests must spell out the "javascript:" URLs they refuse.
    // act(async () => …) without an await still lets React flush the promise queue. Tests stand
    // in for the api client, which rejects with plain {status, code, …} objects, not Errors.
    files: ["**/*.test.{js,jsx,ts,tsx}"],
    rules: {
      "no-script-url": "off",
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/prefer-promise-reject-errors": "off",
      "@typescript-eslint/only-throw-error": "off",
    },
  },
  {
    // The size script's test writes its fixture build into a fresh temporary directory.
    files: ["scripts/first-load-size.test.js"],
    rules: { "security/detect-non-literal-fs-filename": "off" },
  },
);
