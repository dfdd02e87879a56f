/**
 * The console output of hosts that never joined the ECS cluster, for the {@link Gatherer}: the
 * bootstrap's lines in it say where the host's boot stopped.
 */
import { GetConsoleOutputCommand } from "@aws-sdk/client-ec2";
import { codeOf } from "../aws";
import type { Gatherer } from "../gather";
import { bootstrapLines, decodeConsoleOutput } from "../rules/bootstrap";
import { stuckHosts, type Host } from "../rules/waiting";

/** At most this many stuck hosts get their console output fetched (it is large). */
const MAX_CONSOLE_FETCHES = 3;

/** Adds the bootstrap lines of (a few of) the hosts that never registered. */
export async function withConsole(g: Gatherer, hosts: Host[] | undefined): Promise<Host[] | undefined> {
  if (hosts === undefined) return undefined;
  const stuck = new Set(
    stuckHosts(hosts, g.ctx.now())
      .slice(0, MAX_CONSOLE_FETCHES)
      .map((h) => h.instanceId),
  );
  const out: Host[] = [];
  for (const h of hosts) {
    if (!stuck.has(h.instanceId)) {
      out.push(h);
      continue;
    }
    // `Latest`: the serial console as it is now, not the buffer EC2 posted shortly after the
    // instance started, which may predate the bootstrap (EC2 API reference, GetConsoleOutput;
    // Nitro instances only: every preset is Nitro, others fall back). EC2 keeps the last 64 KB.
    const res = await g.attempt(`the bootstrap log of host ${h.instanceId}`, () =>
      g.call("ec2:GetConsoleOutput", async () => {
        try {
          return await g.ctx.clients.ec2.send(
            new GetConsoleOutputCommand({ InstanceId: h.instanceId, Latest: true }),
          );
        } catch (e) {
          if (!/Unsupported/i.test(codeOf(e))) throw e;
          return g.ctx.clients.ec2.send(new GetConsoleOutputCommand({ InstanceId: h.instanceId }));
        }
      }),
    );
    out.push(res === undefined ? h : { ...h, bootstrap: bootstrapLines(decodeConsoleOutput(res.Output)) });
  }
  return out;
}
