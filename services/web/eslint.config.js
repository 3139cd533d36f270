import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import security from "eslint-plugin-security";
import globals from "globals";

// eslint-plugin-security's recommended set, every rule an error: a finding fails `npm run lint`.
const securityRecommended = {
  ...security.configs.recommended,
  rules: Object.fromEntries(Object.keys(security.configs.recommended.rules).map((rule) => [rule, "error"])),
};

export default [
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
    files: ["**/*.test.{js,jsx}"],
    rules: { "no-script-url": "off" },
  },
  {
    // The size script's test writes its fixture build into a fresh temporary directory.
    files: ["scripts/first-load-size.test.js"],
    rules: { "security/detect-non-literal-fs-filename": "off" },
  },
];
