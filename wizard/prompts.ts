/**
 * The wizard's prompts: an injectable seam. Each call carries a `name` (the config key, or
 * `stack`, `profile`, `region`, `write`) so a test can answer by name.
 */
import type { Choice } from "../config/keys";

export type { Choice };

export interface Prompts {
  input(q: {
    name: string;
    message: string;
    default?: string;
    validate?: (value: string) => true | string;
  }): Promise<string>;
  select<T>(q: { name: string; message: string; choices: readonly Choice<T>[]; default?: T }): Promise<T>;
  confirm(q: { name: string; message: string; default: boolean }): Promise<boolean>;
}

type Inquirer = typeof import("@inquirer/prompts");

/**
 * How a real inquirer prompt is shown: by default it is simply called (stdin/stdout); a test
 * passes a runner that renders it on a virtual terminal (@inquirer/testing) instead.
 */
export type PromptRunner = <C, V>(prompt: (config: C) => Promise<V>, config: C, name: string) => Promise<V>;

/** The real prompts. Loaded lazily: @inquirer/prompts is ESM, and a flag-only run never needs it. */
export function inquirerPrompts(run: PromptRunner = (prompt, config) => prompt(config)): Prompts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = () => require("@inquirer/prompts") as Inquirer;
  return {
    input: ({ name, message, default: def, validate }) =>
      run(load().input, { message, default: def, validate }, name),
    select: <T>({
      name,
      message,
      choices,
      default: def,
    }: Parameters<Prompts["select"]>[0] & { choices: readonly Choice<T>[]; default?: T }) =>
      run(
        load().select as (c: object) => Promise<T>,
        { message, choices: choices.map((c) => ({ ...c })), default: def, pageSize: 10 },
        name,
      ),
    confirm: ({ name, message, default: def }) => run(load().confirm, { message, default: def }, name),
  };
}

/** Whether an error is the user closing a prompt (Ctrl-C). */
export function isCancel(e: unknown): boolean {
  return e instanceof Error && (e.name === "ExitPromptError" || e.name === "AbortPromptError");
}
