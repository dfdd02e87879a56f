// The real inquirer prompts, rendered on a virtual terminal by @inquirer/testing.
import * as assert from "node:assert/strict";
import { render } from "@inquirer/testing";
import { checkConfigValue } from "../../config/parse";
import { parseCostTags } from "../../wizard/answers";
import { inquirerPrompts, type PromptRunner } from "../../wizard/prompts";
import { projectDir, read, wizard } from "./helpers";

describe("wizard prompts on a virtual terminal (@inquirer/testing)", () => {
  type Rendered = Awaited<ReturnType<typeof render>>;
  /** Renders each real inquirer prompt; `steps[name]` drives it, otherwise Enter. */
  const runner =
    (steps: Record<string, (r: Rendered) => Promise<void>>, screens: Record<string, string>): PromptRunner =>
    async (prompt, config, name) => {
      const r = await render(prompt as Parameters<typeof render>[0], config as never);
      screens[name] = r.getScreen();
      await (steps[name] ?? (async (x: Rendered) => x.events.keypress("enter")))(r);
      return (await r.answer) as never;
    };

  it("validates max vCPUs as typed, with config parsing's own message, then accepts a fix", async () => {
    const dir = projectDir();
    const screens: Record<string, string> = {};
    let invalidScreen = "";
    const prompts = inquirerPrompts(
      runner(
        {
          maxVcpus: async (r) => {
            r.events.type("lots");
            r.events.keypress("enter");
            await r.nextRender();
            invalidScreen = r.getScreen();
            for (let i = 0; i < 4; i++) r.events.keypress("backspace");
            r.events.type("64");
            r.events.keypress("enter");
          },
        },
        screens,
      ),
    );
    const r = await wizard(dir, ["--stack", "vtest"], prompts);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      invalidScreen,
      `? Max vCPUs of the spot compute environment (caps what a runaway pipeline can spend) lots\n> ${checkConfigValue("maxVcpus", "lots")}`,
    );
    assert.match(read(dir, "vtest"), /^ {2}nextflow-batch:maxVcpus: 64$/m);
    assert.equal(screens.labName, "? Lab name (the `lab` cost tag and resource name prefix) (vtest)");
    assert.ok(
      screens.preset.includes(
        "❯ m5-gp3  [m5; gp3 root volume]  Intel m5, gp3 root volume matched to each size",
      ),
      screens.preset,
    );
    assert.ok(screens.preset.includes("  m5d-nvme  [m5d; NVMe instance store]  Intel m5d"), screens.preset);
    assert.equal(screens.write, "? Create Pulumi.vtest.yaml? (Y/n)");
  });

  it("rejects a malformed cost tag as typed", async () => {
    let screen = "";
    const prompts = inquirerPrompts(
      runner(
        {
          costTags: async (r) => {
            r.events.type("grant");
            r.events.keypress("enter");
            await r.nextRender();
            screen = r.getScreen();
            for (let i = 0; i < 5; i++) r.events.keypress("backspace");
            r.events.keypress("enter");
          },
          write: async (r) => {
            r.events.type("n");
            r.events.keypress("enter");
          },
        },
        {},
      ),
    );
    const r = await wizard(projectDir(), ["--stack", "vtest"], prompts);
    assert.equal(r.code, 1);
    assert.ok(screen.endsWith(`> ${parseCostTags("grant") as string}`), screen);
  });
});
