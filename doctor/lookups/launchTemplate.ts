/**
 * The launch template versions a compute environment may use (`$Latest` and the pinned one), for
 * the {@link Gatherer}; undefined when the template is gone.
 */
import { DescribeLaunchTemplateVersionsCommand, type LaunchTemplateVersion } from "@aws-sdk/client-ec2";
import { codeOf } from "../aws";
import type { Gatherer } from "../gather";

export async function launchTemplateVersions(
  g: Gatherer,
  lt: {
    launchTemplateId?: string;
    launchTemplateName?: string;
    version?: string;
  },
): Promise<LaunchTemplateVersion[] | undefined> {
  const versions = ["$Latest", ...(lt.version && !lt.version.startsWith("$") ? [lt.version] : [])];
  try {
    const res = await g.call("ec2:DescribeLaunchTemplateVersions", () =>
      g.ctx.clients.ec2.send(
        new DescribeLaunchTemplateVersionsCommand({
          ...(lt.launchTemplateId
            ? { LaunchTemplateId: lt.launchTemplateId }
            : { LaunchTemplateName: lt.launchTemplateName }),
          Versions: versions,
        }),
      ),
    );
    return res.LaunchTemplateVersions ?? [];
  } catch (e) {
    // A missing template, or a pinned version that is gone, is a finding, not a crash.
    if (/NotFound|InvalidLaunchTemplate/.test(codeOf(e))) {
      if (/Version/i.test(codeOf(e)) && versions.length > 1) {
        return launchTemplateVersions(g, { ...lt, version: "$Latest" });
      }
      return undefined;
    }
    throw e;
  }
}
