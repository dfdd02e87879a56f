// Lint config: typescript-eslint's recommended rules, plus the ones that catch the bugs
// infrastructure code actually has (floating promises are lost resource errors).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "policy/node_modules/**", "**/*.js", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always"],
    },
  },
  {
    // Tests and the offline plan read untyped data: mock inputs, engine state, policy documents.
    files: ["test/**/*.ts", "policy/test/**/*.ts", "plan/offline.ts", "plan/main.ts", "plan/render.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
