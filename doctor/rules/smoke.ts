/**
 * The smoke job: what it runs inside the container, how its report reads, and what a failed
 * smoke job means. Pure.
 *
 * The job does what every Nextflow task does first: run the host's AWS CLI (mounted from the
 * host at the nextflowConfig's cliPath) inside a stock container with the job role's
 * credentials, and copy a file to and from the work bucket. It also reports the space and
 * filesystem behind the container's root.
 */
import type { JobDetail } from "@aws-sdk/client-batch";
import type { HostStorageKind } from "../../presets";
import { error, warning, type Finding } from "../findings";

/** Prefix of every line the smoke job prints, so its lines stand out in CloudWatch. */
export const SMOKE_MARK = "nextflow-batch-doctor:";

/** Exit codes of the smoke script, one per failure it can tell apart. */
export const SMOKE_EXIT = { cliMissing: 3, cliBroken: 4, s3Write: 5, s3Read: 6 } as const;

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface SmokeScriptInput {
  /** Nextflow's aws.batch.cliPath, e.g. /opt/aws-cli/bin/aws. */
  readonly cliPath: string;
  /** Where the report goes, s3://<bucket>/<work prefix>/... */
  readonly url: string;
  /** A value only this run knows, so the doctor can tell its report from any other. */
  readonly token: string;
}

/**
 * The bash script the smoke job runs (`bash -o pipefail -c <script>`, as Nextflow launches
 * tasks). Only bash builtins and coreutils (df, mktemp, cat), so any glibc image with bash
 * runs it.
 *
 * The filesystem behind the container's root: `df /` shows the overlay (its size is the
 * backing filesystem's); the backing device itself shows in /proc/self/mountinfo on the
 * line for /etc/hosts, which Docker bind-mounts from /var/lib/docker/containers/<id>/, the
 * same filesystem that holds the overlay layers (/dev/md0 on NVMe presets).
 */
export function smokeScript(i: SmokeScriptInput): string {
  return `set -uo pipefail
cli=${sq(i.cliPath)}
url=${sq(i.url)}
token=${sq(i.token)}
say() { printf '${SMOKE_MARK} %s\\n' "$*"; }
fail() { say "FAIL $1: $2"; exit "$3"; }
if [ ! -e "$cli" ]; then
  fail cli-missing "$cli does not exist in the container: the host has no AWS CLI there, or ${"$"}{cli%/*/*} was not mounted" ${SMOKE_EXIT.cliMissing}
fi
if ! version="$("$cli" --version 2>&1)"; then
  fail cli-broken "$cli does not run in this image: $version" ${SMOKE_EXIT.cliBroken}
fi
say "cli $version"
df_out="$(df -PT -k / 2>&1)"
read -r _ root_fs root_kib _ root_avail_kib _ <<<"${"$"}{df_out##*$'\\n'}"
docker_fs=unknown
docker_dev=unknown
while read -r -a f; do
  [ "${"$"}{f[4]:-}" = /etc/hosts ] || continue
  for ((n = 6; n < ${"$"}{#f[@]} - 2; n++)); do
    if [ "${"$"}{f[n]}" = - ]; then
      docker_fs="${"$"}{f[n + 1]}"
      docker_dev="${"$"}{f[n + 2]}"
      break
    fi
  done
done </proc/self/mountinfo
tmp="$(mktemp -d)"
{
  printf 'token=%s\\n' "$token"
  printf 'cli=%s\\n' "$version"
  printf 'root_fs=%s\\n' "${"$"}{root_fs:-unknown}"
  printf 'root_kib=%s\\n' "${"$"}{root_kib:-0}"
  printf 'root_avail_kib=%s\\n' "${"$"}{root_avail_kib:-0}"
  printf 'docker_fs=%s\\n' "$docker_fs"
  printf 'docker_device=%s\\n' "$docker_dev"
} >"$tmp/report"
if ! out="$("$cli" s3 cp --only-show-errors "$tmp/report" "$url" 2>&1)"; then
  fail s3-write "could not write $url: $out" ${SMOKE_EXIT.s3Write}
fi
if ! out="$("$cli" s3 cp --only-show-errors "$url" "$tmp/back" 2>&1)"; then
  fail s3-read "could not read $url back: $out" ${SMOKE_EXIT.s3Read}
fi
if [ "$(cat "$tmp/report")" != "$(cat "$tmp/back")" ]; then
  fail s3-read "read back something other than what was written to $url" ${SMOKE_EXIT.s3Read}
fi
while IFS= read -r line; do say "$line"; done <"$tmp/report"
say OK
`;
}

/** What the smoke job reported. */
export interface SmokeReport {
  readonly token?: string;
  readonly cli?: string;
  readonly rootFs?: string;
  readonly rootKiB?: number;
  readonly rootAvailKiB?: number;
  readonly dockerFs?: string;
  readonly dockerDevice?: string;
}

/** Reads `key=value` lines, from the report object or from the job's log lines (with the mark). */
export function parseSmokeReport(text: string): SmokeReport {
  const kv = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.startsWith(SMOKE_MARK) ? raw.slice(SMOKE_MARK.length).trim() : raw.trim();
    const eq = line.indexOf("=");
    if (eq > 0 && /^[a-z_]+$/.test(line.slice(0, eq))) kv.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const num = (k: string) => (kv.has(k) && /^\d+$/.test(kv.get(k)!) ? Number(kv.get(k)) : undefined);
  const str = (k: string) => kv.get(k);
  return {
    token: str("token"),
    cli: str("cli"),
    rootFs: str("root_fs"),
    rootKiB: num("root_kib"),
    rootAvailKiB: num("root_avail_kib"),
    dockerFs: str("docker_fs"),
    dockerDevice: str("docker_device"),
  };
}

const gib = (kib: number | undefined) => (kib === undefined ? "?" : `${(kib / 1024 / 1024).toFixed(1)} GiB`);

/** One line for a person: the space and filesystem behind the container's root. */
export function describeStorage(r: SmokeReport): string {
  return `container root ${r.rootFs ?? "?"}: ${gib(r.rootKiB)}, ${gib(r.rootAvailKiB)} free; Docker data on ${r.dockerFs ?? "?"} ${r.dockerDevice ?? "?"}`;
}

/** The instance-store RAID (/dev/md*) or a single instance-store disk (a second NVMe device). */
const INSTANCE_STORE_DEVICE = /^\/dev\/(md\d+|md\/.+|nvme[1-9]\d*n1)$/;

/**
 * Does the storage behind the container match the preset? `expected` is the preset's host
 * storage (undefined when the stack file is not here, e.g. `--outputs` on another machine).
 */
export function storageFindings(
  queue: string,
  r: SmokeReport,
  expected: { readonly kind: HostStorageKind; readonly rootVolumeGiB: number } | undefined,
): Finding[] {
  if (expected === undefined) return [];
  switch (expected.kind) {
    case "instanceStore":
      if (r.dockerFs === "xfs" && INSTANCE_STORE_DEVICE.test(r.dockerDevice ?? "")) return [];
      return [
        warning(
          "smoke-storage",
          `queue ${queue}`,
          `Docker data is on ${r.dockerFs ?? "?"} ${r.dockerDevice ?? "?"}, not the NVMe instance store (XFS on /dev/md0 or the one instance-store disk): the instance-store bootstrap did not run or failed, so tasks only get the ${expected.rootVolumeGiB} GiB root volume.`,
          "look for [instance-store] lines in the host's console output or /var/log/nextflow-batch-bootstrap.log",
        ),
      ];
    case "gp3": {
      const rootGiB = (r.rootKiB ?? 0) / 1024 / 1024;
      if (r.rootKiB === undefined || rootGiB >= expected.rootVolumeGiB * 0.9) return [];
      return [
        warning(
          "smoke-storage",
          `queue ${queue}`,
          `the container's root has ${rootGiB.toFixed(0)} GiB, but the preset gives hosts a ${expected.rootVolumeGiB} GiB gp3 volume: the hosts did not boot from the stack's launch template.`,
          "check the compute environment's launch template (see the state checks) and pulumi up",
        ),
      ];
    }
    default: {
      const never: never = expected.kind;
      throw new Error(`unknown storage kind ${String(never)}`);
    }
  }
}

/** The smoke job's `FAIL <kind>: <detail>` line, if it printed one. */
export function smokeFailure(logLines: readonly string[]): { kind: string; detail: string } | undefined {
  for (const l of logLines) {
    const m = new RegExp(`${SMOKE_MARK} FAIL ([a-z0-9-]+): (.*)$`).exec(l);
    if (m) return { kind: m[1], detail: m[2] };
  }
  return undefined;
}

/** Why a smoke job ended FAILED, in plain words, from the job and what it printed. */
export function explainFailedJob(
  queue: string,
  job: Pick<JobDetail, "statusReason" | "container" | "attempts">,
  logLines: readonly string[],
  ctx: { readonly cliPath: string; readonly image: string; readonly logGroup: string },
): Finding {
  const subject = `smoke job on queue ${queue}`;
  const c = job.container;
  const reasons = [
    job.statusReason,
    c?.reason,
    ...(job.attempts ?? []).flatMap((a) => [a.statusReason, a.container?.reason]),
  ].filter((x): x is string => typeof x === "string" && x !== "");
  const all = reasons.join(" | ");
  const evidence = [
    ...[...new Set(reasons)].map((r) => `reason: ${r}`),
    ...(c?.exitCode !== undefined ? [`exit code: ${c.exitCode}`] : []),
    ...logLines.slice(-15).map((l) => `log: ${l}`),
  ];
  const mount = ctx.cliPath.split("/").slice(0, -2).join("/") || "/";
  const f = smokeFailure(logLines);
  const fail = (message: string, fix: string) => error("smoke-failed", subject, message, fix, evidence);

  if (f?.kind === "cli-missing" || c?.exitCode === SMOKE_EXIT.cliMissing) {
    return fail(
      `the AWS CLI is not at ${ctx.cliPath} inside the task container: the host never installed it in ${mount}, so every Nextflow task would fail to stage its files ("aws: command not found" / "Missing AWS CLI").`,
      "the host's [aws-cli] bootstrap lines say why (usually no internet route to download it): see the hosts' console output, or /var/log/nextflow-batch-bootstrap.log on a host",
    );
  }
  if (f?.kind === "cli-broken" || c?.exitCode === SMOKE_EXIT.cliBroken) {
    return fail(
      `the AWS CLI at ${ctx.cliPath} is there but does not run in ${ctx.image}: ${f?.detail ?? "see the log"}.`,
      "use an image with glibc (the AWS CLI v2 bundle does not run on Alpine/musl); for Nextflow, the same holds for every process container",
    );
  }
  if (
    f?.kind === "s3-write" ||
    f?.kind === "s3-read" ||
    c?.exitCode === SMOKE_EXIT.s3Write ||
    c?.exitCode === SMOKE_EXIT.s3Read
  ) {
    const d = f?.detail ?? "";
    const cause = /Unable to locate credentials|NoCredentialProviders/i.test(d)
      ? "the container got no credentials: the job role was not passed or cannot be assumed by ECS tasks"
      : /AccessDenied|Forbidden|403/i.test(d)
        ? "the job role is not allowed to use the work bucket (403)"
        : /Could not connect|timed out|EndpointConnectionError/i.test(d)
          ? "the container cannot reach S3 (no NAT route or S3 endpoint)"
          : "see the message below";
    return fail(
      `the task container could not ${f?.kind === "s3-read" || c?.exitCode === SMOKE_EXIT.s3Read ? "read back" : "write"} an object in the work bucket: ${cause}. Nextflow tasks would fail the same way.`,
      "check the job role (see its state check) and its policy on the work bucket, then pulumi up",
    );
  }
  if (/CannotPullContainerError|pull image|manifest/i.test(all)) {
    return fail(
      `the host could not pull ${ctx.image}: no route to the registry (NAT), a registry rate limit, or a wrong image name.`,
      "check the subnets' internet route (see the network checks); with no internet access, pass an image from your own ECR with --image",
    );
  }
  if (/CannotStartContainerError/i.test(all) && /mount|bind|no such file|not a directory/i.test(all)) {
    return fail(
      `the container could not start: mounting ${mount} from the host failed, so the host has no AWS CLI there.`,
      "the host's [aws-cli] bootstrap lines say why: see the hosts' console output",
    );
  }
  if (/ResourceInitializationError|log ?stream|awslogs|CreateLogStream/i.test(all)) {
    return fail(
      `the container could not start its logging: the log group ${ctx.logGroup} is missing, or the instance role may not write to it.`,
      "pulumi up restores the log group and the instance role's logs policy",
    );
  }
  if (/^Host EC2/i.test(job.statusReason ?? "") || /Host EC2 \(instance/i.test(all)) {
    return warning(
      "smoke-failed",
      subject,
      "spot took the host back while the smoke job ran (nothing is misconfigured); Nextflow retries such tasks (maxSpotAttempts).",
      "run the doctor again",
      evidence,
    );
  }
  if (/CannotInspectContainerError|DockerTimeoutError|no space left/i.test(all)) {
    return fail(
      "Docker on the host is too slow or out of disk (CannotInspectContainerError / DockerTimeoutError).",
      "check the host storage: the preset's gp3 volume or NVMe RAID (see the smoke report of a successful queue)",
    );
  }
  if (/timeout|duration exceeded/i.test(all)) {
    return fail(
      "the smoke job ran past its time limit; it should take seconds.",
      "look at its log lines below; a hung `aws s3` usually means no route to S3",
    );
  }
  return fail(
    `the smoke job failed${c?.exitCode !== undefined ? ` with exit code ${c.exitCode}` : ""}${job.statusReason ? `: ${job.statusReason}` : ""}.`,
    "read the reason and log lines below; they come from AWS Batch and the container",
  );
}
