/**
 * Instance selection checks against the EC2 instance catalog. Pure.
 *
 * The catalog lives in the policy pack (policy/catalog), which must stay self-contained for
 * `pulumi policy publish`; the program imports it from there so that the config parser and
 * the org's policies judge instance types from the same data.
 */
import { MAX_LAUNCH_TEMPLATE_OVERRIDES, rootVolumePlan } from "../hosts/rootVolumes";
import { classifyInstanceTypes } from "../policy/catalog";
import type { CpuArchitecture, HostStorageKind, HostStorageSpec } from "../presets";
import { show } from "./messages";

export type InstanceSelection =
  | { readonly problems: readonly []; readonly manufacturer: string; readonly architecture: CpuArchitecture }
  | { readonly problems: readonly string[] };

/**
 * The CPU profile of a list of instance families/sizes, checked against the instance catalog:
 * one vendor, one architecture, every entry known, no Batch keyword (AWS may move a keyword to
 * another vendor's generation under you), instance storage where the storage mode needs it.
 * Returns the problems (none when fine) and, when fine, the profile.
 */
export function checkInstanceSelection(
  where: string,
  entries: readonly string[],
  storageKind: HostStorageKind,
): InstanceSelection {
  const c = classifyInstanceTypes(entries, { keywordsPinned: false });
  const problems: string[] = [];
  const got = show(entries);
  if (c.keywords.length > 0) {
    problems.push(
      `${where} must name instance families or sizes, not the Batch keywords ${c.keywords.join(", ")} (AWS may move them to another CPU vendor); got ${got}. Fix: list families such as "m5"`,
    );
  }
  if (c.unknown.length > 0) {
    problems.push(
      `${where} must name EC2 instance families or sizes in the instance catalog; ${c.unknown.map((u) => `"${u}"`).join(", ")} not found in ${got}. Fix: check the spelling (e.g. "m5", "m5d.8xlarge")`,
    );
  }
  // Old x86 types also report i386; what matters is one architecture every entry supports.
  const common = c.commonArchitectures.filter((a): a is CpuArchitecture => a === "x86_64" || a === "arm64");
  if (c.manufacturers.length > 1) {
    problems.push(
      `${where} must stay with one CPU vendor (conda tools built on one crash on the other); got ${got}, which mixes ${c.manufacturers.join(" and ")}. Fix: keep only families from one vendor`,
    );
  }
  if (c.types.length > 0 && common.length === 0) {
    problems.push(
      `${where} must share one CPU architecture, x86_64 or arm64 (AWS Batch rejects a mix in one compute environment); got ${got}, which spans ${c.architectures.join(" and ")}. Fix: keep only families of one architecture`,
    );
  }
  if (storageKind === "instanceStore" && c.withoutInstanceStorage.length > 0) {
    problems.push(
      `${where} must only name families with NVMe instance-store disks for an instance-store preset; ${c.withoutInstanceStorage.map((u) => `"${u}"`).join(", ")} have none. Fix: use a "d" family such as "m5d", or a gp3 preset`,
    );
  }
  if (c.withoutSpot.length > 0) {
    problems.push(
      `${where} must only name families sold as spot (the spot compute environment would wait for the others forever); ${c.withoutSpot.map((u) => `"${u}"`).join(", ")} ${c.withoutSpot.length === 1 ? "is" : "are"} never offered as spot (SupportedUsageClasses in the instance catalog). Fix: pick families offered as spot, such as "c7a" instead of "hpc7a"`,
    );
  }
  if (c.withGpus.length > 0) {
    problems.push(
      `${where} must name CPU-only families: hosts boot the ECS Amazon Linux 2023 image, which has no GPU drivers; ${c.withGpus.map((u) => `"${u}"`).join(", ")} ${c.withGpus.length === 1 ? "has" : "have"} GPUs. Fix: pick families without GPUs`,
    );
  }
  const manufacturer = c.manufacturers[0];
  if (problems.length > 0 || manufacturer === undefined) return { problems };
  // x86_64 wins when an old type also lists i386; arm64 only when that is all there is.
  const architecture = common.includes("x86_64") ? "x86_64" : "arm64";
  return { problems: [], manufacturer, architecture };
}

/**
 * Sizes with different root volumes need launch templates of their own (hosts/rootVolumes.ts);
 * a compute environment takes one default template plus at most
 * {@link MAX_LAUNCH_TEMPLATE_OVERRIDES} overrides (AWS Batch API,
 * LaunchTemplateSpecificationOverride). The problem line, or undefined when they fit.
 */
export function checkRootVolumeCount(
  where: string,
  entries: readonly string[],
  storage: HostStorageSpec,
): string | undefined {
  const plan = rootVolumePlan(entries, storage);
  const volumes = 1 + plan.overrides.length;
  if (volumes <= 1 + MAX_LAUNCH_TEMPLATE_OVERRIDES) return undefined;
  return `${where} needs ${volumes} different root volumes (one per distinct EBS link and vCPU count); a compute environment takes one launch template plus at most ${MAX_LAUNCH_TEMPLATE_OVERRIDES} overrides, so at most ${1 + MAX_LAUNCH_TEMPLATE_OVERRIDES}; got ${show(entries)}. Fix: list fewer families or sizes`;
}
