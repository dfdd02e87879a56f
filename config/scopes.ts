/**
 * Scopes: keys that only mean something in one mode of another key (a new VPC, the on-demand
 * queue, the container cache). The parser reports a key set outside its scope, or missing
 * inside it; the wizard asks a key only where it applies. Pure.
 */
import { PROJECT } from "./defaults";
import type { ConfigValues, KeyName, ScopeName } from "./keys";

/** A scope: when it applies, and how messages speak of it. */
export interface Scope {
  /** The key whose value decides the scope, and the value that makes it apply. */
  readonly key: KeyName;
  readonly value: string | boolean;
  /** Whether the scope applies with these values. */
  readonly applies: (values: ConfigValues) => boolean;
  /** `to network "new"`: completes "only applies …". */
  readonly appliesText: string;
  /** `network "new"`: completes "required with …" (the scope) and "got it with …" (its opposite). */
  readonly scopeText: string;
  readonly oppositeText: string;
  /** Added after "Fix: remove <key>", when turning the scope on is the other way out. */
  readonly enableHint?: string;
}

export const SCOPES: Readonly<Record<ScopeName, Scope>> = {
  newVpc: {
    key: "network",
    value: "new",
    applies: (v) => v.network === "new",
    appliesText: 'to network "new"',
    scopeText: 'network "new"',
    oppositeText: 'network "existing"',
  },
  existingVpc: {
    key: "network",
    value: "existing",
    applies: (v) => v.network === "existing",
    appliesText: 'to network "existing"',
    scopeText: 'network "existing"',
    oppositeText: 'network "new"',
    enableHint: `, or set ${PROJECT}:network existing`,
  },
  onDemandQueue: {
    key: "onDemandQueue",
    value: true,
    applies: (v) => v.onDemandQueue,
    appliesText: "with onDemandQueue true",
    scopeText: "onDemandQueue true",
    oppositeText: "onDemandQueue false",
    enableHint: " or turn the queue on",
  },
  containerCache: {
    key: "containerCache",
    value: true,
    applies: (v) => v.containerCache,
    appliesText: "with containerCache true",
    scopeText: "containerCache true",
    oppositeText: "containerCache false",
    enableHint: " or turn the cache on",
  },
};
