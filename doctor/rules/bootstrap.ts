/**
 * Picking the stack's bootstrap lines out of a host's EC2 console output. Pure.
 *
 * The host scripts (hosts/bootstrap/*.sh) log every line as
 *   `<UTC ISO time> nextflow-batch-bootstrap[<script>]: <message>`
 * to stderr (cloud-init copies it to the console and /var/log/cloud-init-output.log) and to
 * /var/log/nextflow-batch-bootstrap.log; on failure they also write
 *   `nextflow-batch-bootstrap[<script>]: ERROR: <message>`
 * straight to /dev/console. On the console a line may carry a kernel or cloud-init prefix
 * (`[   12.3] cloud-init[1234]: `), and lines end in CR LF.
 */

/** The tag every bootstrap line carries, as the scripts spell it. */
export const BOOTSTRAP_TAG = "nextflow-batch-bootstrap";

export interface BootstrapLine {
  /** The script's short name: "aws-cli", "instance-store", "ecs-agent-config". */
  readonly script: string;
  /** UTC time the line was logged, when the line has one (console-direct errors do not). */
  readonly time?: string;
  readonly message: string;
  readonly isError: boolean;
}

const LINE = new RegExp(
  `(?:(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ) )?${BOOTSTRAP_TAG}\\[([A-Za-z0-9_-]+)\\]: (.*)$`,
);

/**
 * EC2's GetConsoleOutput returns the output base64-encoded (EC2 API reference,
 * GetConsoleOutput: "The console output, base64-encoded"); the SDK passes it through as is.
 */
export function decodeConsoleOutput(output: string | undefined): string {
  return output === undefined ? "" : Buffer.from(output, "base64").toString("utf8");
}

/** The bootstrap lines in console text, in order, exact repeats dropped. */
export function bootstrapLines(consoleText: string): BootstrapLine[] {
  const seen = new Set<string>();
  const out: BootstrapLine[] = [];
  for (const raw of consoleText.split("\n")) {
    const m = LINE.exec(raw.replace(/\r$/, ""));
    if (!m) continue;
    const key = `${m[1] ?? ""}|${m[2]}|${m[3]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      script: m[2],
      ...(m[1] ? { time: m[1] } : {}),
      message: m[3],
      isError: m[3].startsWith("ERROR:"),
    });
  }
  return out;
}

/** One line as the doctor shows it. */
export function renderBootstrapLine(l: BootstrapLine): string {
  return `${l.time ?? "(console)"} [${l.script}] ${l.message}`;
}
