/**
 * The host AMI: an ECS-optimized Amazon Linux 2023 release, pinned by its version, so a new
 * AWS release never rolls the hosts (and kills long tasks) on an unrelated `pulumi up`.
 * Rolling is a deliberate change of `nextflow-batch:hostAmiVersion`. Pure.
 *
 * AWS publishes every release's image id in SSM under its image name ("Retrieving Amazon
 * ECS-optimized Linux AMI metadata", Amazon ECS developer guide):
 *   /aws/service/ecs/optimized-ami/amazon-linux-2023/<image name>/image_id          (x86_64)
 *   /aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/<image name>/image_id    (arm64)
 * Image names are `al2023-ami-ecs-hvm-<version>-kernel-6.1-<arch>` (aws/amazon-ecs-ami,
 * al2023.pkr.hcl and al2023arm.pkr.hcl; releases listed in its CHANGELOG.md).
 */
import type { CpuArchitecture } from "../presets";

/** A release listed in aws/amazon-ecs-ami CHANGELOG.md ("## 20260918": al2023 x86_64 and arm64 builds). */
export const DEFAULT_HOST_AMI_VERSION = "2023.0.20260918";

/** The kernel line of the ECS AL2023 images: every release so far is built on kernel 6.1. */
export const ECS_AL2023_KERNEL = "6.1";

export const HOST_AMI_VERSION = /^2023\.0\.(\d{4})(\d{2})(\d{2})$/;

/** The release date in a version, or undefined when it is not a real date. */
export function amiReleaseDate(version: string): Date | undefined {
  const m = HOST_AMI_VERSION.exec(version);
  if (!m) return undefined;
  const [y, mo, d] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? date : undefined;
}

export function ecsAmiName(version: string, architecture: CpuArchitecture): string {
  return `al2023-ami-ecs-hvm-${version}-kernel-${ECS_AL2023_KERNEL}-${architecture}`;
}

/** The SSM parameter holding the image id of one release for one architecture. */
export function ecsAmiParameter(version: string, architecture: CpuArchitecture): string {
  const base = "/aws/service/ecs/optimized-ami/amazon-linux-2023";
  const arch = architecture === "arm64" ? "/arm64" : "";
  return `${base}${arch}/${ecsAmiName(version, architecture)}/image_id`;
}

/** Whole days from the release to `now`. */
export function amiAgeDays(version: string, now: Date): number | undefined {
  const released = amiReleaseDate(version);
  return released === undefined ? undefined : Math.floor((now.getTime() - released.getTime()) / 86_400_000);
}
