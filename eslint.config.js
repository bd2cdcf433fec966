import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".lab/", "reports/", "infra/jvm/target/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      // A swallowed error hides the failure a reviewer needs to see (style guide: never a silent catch).
      "no-empty": ["error", { allowEmptyCatch: false }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["bin/**/*.mjs"],
    languageOptions: { globals: { process: "readonly" } },
  },
  {
    // Only the config module reads the environment.
    files: ["services/**/*.ts", "scenarios/**/*.ts"],
    ignores: ["services/platform/config.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through services/platform/config.ts." }],
    },
  },
);
