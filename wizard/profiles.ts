/** AWS profiles, from the user's config and credentials files, through the AWS SDK's own loader. */
import { loadSharedConfigFiles, type SharedConfigInit } from "@smithy/shared-ini-file-loader";

export interface AwsProfiles {
  /** Profile names, `default` first, then sorted. */
  readonly names: readonly string[];
  readonly regionOf: (profile: string) => string | undefined;
}

export async function loadAwsProfiles(init: SharedConfigInit = {}): Promise<AwsProfiles> {
  const files = await loadSharedConfigFiles({ ...init, ignoreCache: true });
  // The loader keys `[profile x]` as "x" and other sections as "sso-session.x", "services.x".
  const fromConfig = Object.keys(files.configFile).filter((n) => !n.includes("."));
  const names = [...new Set([...fromConfig, ...Object.keys(files.credentialsFile)])].sort((a, b) =>
    a === "default" ? -1 : b === "default" ? 1 : a.localeCompare(b),
  );
  return { names, regionOf: (p) => files.configFile[p]?.region ?? files.credentialsFile[p]?.region };
}
