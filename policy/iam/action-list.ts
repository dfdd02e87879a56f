// The IAM actions of every AWS service, read from the generated service-actions.json (see
// generate.ts). Loaded on first use and kept: about 22,000 names, parsed in a few milliseconds.
// (Not named service-actions.ts: Node resolves "./service-actions" to the .json file first.)
import * as fs from "fs";
import { packFile } from "../pack-files";

/** The generated file's shape. */
export interface ServiceActionsFile {
  /** Which iam-data release the lists come from. */
  readonly source: string;
  /** Service prefix (lower case, as in IAM: "s3", "resource-groups") to its action names. */
  readonly services: Readonly<Record<string, readonly string[]>>;
}

export const SERVICE_ACTIONS_PATH = packFile("iam", "service-actions.json");

/** One service: its prefix and its actions as IAM matches them ("s3:getobject"). */
export interface ServiceActions {
  readonly service: string;
  /** `service:action` in lower case: IAM compares prefixes and names case-insensitively. */
  readonly actions: readonly string[];
}

let loaded: ReadonlyMap<string, ServiceActions> | undefined;

/** Every service, keyed by its lower-case prefix. */
export function serviceActions(): ReadonlyMap<string, ServiceActions> {
  if (loaded !== undefined) return loaded;
  const file = JSON.parse(fs.readFileSync(SERVICE_ACTIONS_PATH, "utf8")) as ServiceActionsFile;
  const map = new Map<string, ServiceActions>();
  for (const [service, actions] of Object.entries(file.services)) {
    const key = service.toLowerCase();
    map.set(key, { service: key, actions: actions.map((a) => `${key}:${a.toLowerCase()}`) });
  }
  loaded = map;
  return loaded;
}

/** How many actions the list knows for `service` (0 for a service it does not know). */
export function actionCount(service: string): number {
  return serviceActions().get(service.toLowerCase())?.actions.length ?? 0;
}
