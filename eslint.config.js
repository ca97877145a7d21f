import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".oversight/", "test-output/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: "readonly", console: "readonly", URL: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // Progressive enhancement served to the browser as is.
    files: ["src/web/static/**/*.js"],
    languageOptions: { globals: { document: "readonly", HTMLScriptElement: "readonly" } },
  },
  {
    // The domain core is pure: no I/O, no clock. Adapters live outside src/domain.
    files: ["src/domain/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "node:*",
            "fs",
            "path",
            "pg",
            "@electric-sql/*",
            "fastify",
            "*/store/*",
            "*/services/*",
          ],
        },
      ],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "The domain is given its dates." },
        { object: "Math", property: "random", message: "The domain is given its randomness." },
      ],
    },
  },
);
