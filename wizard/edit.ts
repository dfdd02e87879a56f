/** What the wizard changes in a stack file, from its answers. Pure. */
import { isDeepStrictEqual } from "node:util";
import { CONFIG, KEY_NAMES, PROJECT, type KeyName } from "../config/keys";
import { defaultOf } from "../config/keyAccess";
import { SCOPES } from "../config/scopes";
import type { ConfigEdit } from "../config/stackFile";
import { DEFAULT_PRESET, PRESETS } from "../presets";
import { ASKED_KEYS, currentValue, ENV_CREDENTIALS, isEmpty, type Answers } from "./answers";

const key = (name: KeyName) => `${PROJECT}:${name}`;

/**
 * The keys to set and remove. A new file gets every answer written out (a config that reads
 * on its own); an existing file changes only where the answer differs from what the file
 * means now (its value, or the built-in default when the key is absent). An empty answer
 * (no cost tags) removes the key, and so does an answer that takes a key out of its scope
 * (subnets with a new VPC).
 */
export function editFor(
  answers: Answers,
  config: Readonly<Record<string, unknown>>,
  isNew: boolean,
): ConfigEdit {
  const set: [string, unknown][] = [];
  const remove: string[] = [];
  const has = (k: string) => Object.prototype.hasOwnProperty.call(config, k);

  if (answers.profile === ENV_CREDENTIALS) {
    if (has("aws:profile")) remove.push("aws:profile");
  } else if (config["aws:profile"] !== answers.profile) set.push(["aws:profile", answers.profile]);
  if (config["aws:region"] !== answers.region) set.push(["aws:region", answers.region]);

  const preset = PRESETS[answers.values.preset ?? currentValue(config, "preset") ?? DEFAULT_PRESET];
  const now = <K extends KeyName>(name: K) =>
    answers.values[name] ?? currentValue(config, name) ?? defaultOf(name, { stack: answers.stack, preset });

  for (const name of ASKED_KEYS) {
    const value = answers.values[name];
    if (value === undefined) continue;
    if (isEmpty(value)) {
      if (has(key(name))) remove.push(key(name));
      continue;
    }
    const current = has(key(name))
      ? currentValue(config, name)
      : defaultOf(name, { stack: answers.stack, preset });
    const invalidNow = has(key(name)) && current === undefined;
    if (isNew || invalidNow || !isDeepStrictEqual(current, value)) set.push([key(name), value]);
  }
  for (const name of KEY_NAMES) {
    const scopeName = CONFIG[name].scope;
    if (scopeName === undefined || !has(key(name))) continue;
    const scope = SCOPES[scopeName];
    if (now(scope.key) !== scope.value) remove.push(key(name));
  }
  return { set, remove };
}
