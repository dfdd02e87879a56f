import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import {
  BATCH_INSTANCE_KEYWORDS,
  CATALOG_PATH,
  allFamilies,
  allInstanceTypes,
  classifyInstanceTypes,
  familyOf,
  familyTypes,
  lookupInstanceType,
} from "../catalog";
import { buildCatalog, rawItems, serializeCatalog } from "../catalog/generate";

const SHARED_DATA = "/work/shared/data/ec2-instance-types.json";

interface RawItem {
  InstanceType: string;
  ProcessorInfo: { Manufacturer: string; SupportedArchitectures: string[] };
  VCpuInfo: { DefaultVCpus: number };
  MemoryInfo: { SizeInMiB: number };
}

describe("instance catalog", () => {
  const raw = JSON.parse(fs.readFileSync(SHARED_DATA, "utf8")) as Record<string, RawItem>;

  it("agrees with ec2-instance-types.json on manufacturer and architectures of all 1,373 types", () => {
    const names = Object.keys(raw);
    assert.equal(names.length, 1373);
    for (const name of names) {
      const t = lookupInstanceType(name);
      assert.ok(t, `${name} missing from the catalog`);
      assert.equal(t.manufacturer, raw[name].ProcessorInfo.Manufacturer, name);
      assert.deepEqual(t.architectures, raw[name].ProcessorInfo.SupportedArchitectures, name);
      assert.equal(t.vcpus, raw[name].VCpuInfo.DefaultVCpus, name);
      assert.equal(t.memoryMiB, raw[name].MemoryInfo.SizeInMiB, name);
    }
    assert.equal(allInstanceTypes().length, names.length);
  });

  it("the committed file equals a fresh generation from the shared data (do not hand-edit it)", () => {
    const fresh = serializeCatalog(buildCatalog(raw, path.basename(SHARED_DATA)));
    assert.equal(fs.readFileSync(CATALOG_PATH, "utf8"), fresh);
  });

  it("reads the AWS CLI shape {InstanceTypes: [...]} the same as the keyed object", () => {
    const cli = { InstanceTypes: Object.values(raw).reverse() };
    assert.equal(
      serializeCatalog(buildCatalog(cli, "x.json")),
      serializeCatalog(buildCatalog(raw, "x.json")),
    );
    assert.equal(rawItems(cli).length, 1373);
  });

  it("rejects a family with two manufacturers and a repeated type", () => {
    const m5 = raw["m5.large"];
    const amd = {
      ...raw["m5.xlarge"],
      ProcessorInfo: { ...raw["m5.xlarge"].ProcessorInfo, Manufacturer: "AMD" },
    };
    assert.throws(
      () => buildCatalog({ InstanceTypes: [m5, amd] }, "x"),
      /family m5 has two manufacturers: Intel and AMD/,
    );
    assert.throws(() => buildCatalog({ InstanceTypes: [m5, m5] }, "x"), /m5.large: listed twice/);
  });

  it("describes m5d.8xlarge fully (EBS link and 2 x 600 GB NVMe instance store)", () => {
    assert.deepEqual(lookupInstanceType("m5d.8xlarge"), {
      instanceType: "m5d.8xlarge",
      family: "m5d",
      gpus: undefined,
      size: "8xlarge",
      manufacturer: "Intel",
      architectures: ["x86_64"],
      vcpus: 32,
      memoryMiB: 131072,
      ebs: {
        baselineBandwidthMbps: 6800,
        maximumBandwidthMbps: 6800,
        baselineThroughputMBps: 850,
        maximumThroughputMBps: 850,
        baselineIops: 30000,
        maximumIops: 30000,
      },
      instanceStorage: { disks: [{ count: 2, sizeGB: 600, type: "ssd" }], totalGB: 1200, nvme: "required" },
      usageClasses: ["on-demand", "spot"],
      spot: true,
      currentGeneration: true,
    });
    assert.equal(lookupInstanceType("m5.large")?.instanceStorage, undefined);
    assert.equal(lookupInstanceType("m5.large")?.ebs?.baselineThroughputMBps, 81.25);
    assert.equal(lookupInstanceType("m5"), undefined);
  });

  it("family is the prefix before the first dot, hyphens included", () => {
    assert.equal(familyOf("u-6tb1.metal"), "u-6tb1");
    assert.equal(familyOf("mac2-m2pro.metal"), "mac2-m2pro");
    assert.equal(lookupInstanceType("mac2-m2pro.metal")?.family, "mac2-m2pro");
    assert.ok(allFamilies().includes("u-6tb1"));
  });

  it("familyTypes sorts by vCPUs then name and returns a new array each call", () => {
    const m5 = familyTypes("m5");
    assert.deepEqual(
      m5.map((t) => t.instanceType),
      [
        "m5.large",
        "m5.xlarge",
        "m5.2xlarge",
        "m5.4xlarge",
        "m5.8xlarge",
        "m5.12xlarge",
        "m5.16xlarge",
        "m5.24xlarge",
        "m5.metal",
      ],
    );
    m5.pop();
    assert.equal(familyTypes("m5").length, 9);
    assert.notEqual(familyTypes("m5"), familyTypes("m5"));
    assert.deepEqual(familyTypes("nope"), []);
  });

  it("every documented Batch keyword family is in the catalog, with one vendor per keyword", () => {
    for (const [keyword, families] of Object.entries(BATCH_INSTANCE_KEYWORDS)) {
      const vendors = new Set(families.flatMap((f) => familyTypes(f).map((t) => t.manufacturer)));
      for (const f of families) assert.ok(familyTypes(f).length > 0, `${keyword}: ${f}`);
      assert.deepEqual([...vendors], keyword === "default_arm64" ? ["AWS"] : ["Intel"], keyword);
    }
  });

  describe("classifyInstanceTypes", () => {
    const cases: {
      entries: string[];
      pinned?: boolean;
      manufacturers: string[];
      architectures: string[];
      commonArchitectures: string[];
      unknown?: string[];
      keywords?: string[];
      withoutInstanceStorage: string[];
      typeCount: number;
    }[] = [
      {
        entries: ["m5d", "c5.4xlarge"],
        manufacturers: ["Intel"],
        architectures: ["x86_64"],
        commonArchitectures: ["x86_64"],
        withoutInstanceStorage: ["c5.4xlarge"],
        typeCount: familyTypes("m5d").length + 1,
      },
      {
        entries: ["m5", "c6a"],
        manufacturers: ["AMD", "Intel"],
        architectures: ["x86_64"],
        commonArchitectures: ["x86_64"],
        withoutInstanceStorage: ["m5", "c6a"],
        typeCount: familyTypes("m5").length + familyTypes("c6a").length,
      },
      {
        entries: ["m6g", "m5.large"],
        manufacturers: ["AWS", "Intel"],
        architectures: ["arm64", "x86_64"],
        commonArchitectures: [],
        withoutInstanceStorage: ["m6g", "m5.large"],
        typeCount: familyTypes("m6g").length + 1,
      },
      {
        // Old types report i386 too; they still share x86_64 with m5.
        entries: ["t2.micro", "m5.large"],
        manufacturers: ["Intel"],
        architectures: ["i386", "x86_64"],
        commonArchitectures: ["x86_64"],
        withoutInstanceStorage: ["t2.micro", "m5.large"],
        typeCount: 2,
      },
      {
        entries: ["default_x86_64", "c6a", "m99z"],
        manufacturers: ["AMD"],
        architectures: ["x86_64"],
        commonArchitectures: ["x86_64"],
        unknown: ["m99z"],
        keywords: ["default_x86_64"],
        withoutInstanceStorage: ["default_x86_64", "c6a"],
        typeCount: familyTypes("c6a").length,
      },
      {
        entries: ["default_x86_64", "c6a"],
        pinned: true,
        manufacturers: ["AMD", "Intel"],
        architectures: ["x86_64"],
        commonArchitectures: ["x86_64"],
        keywords: ["default_x86_64"],
        withoutInstanceStorage: ["default_x86_64", "c6a"],
        typeCount: ["m6i", "c6i", "r6i", "c7i", "c6a"].reduce((n, f) => n + familyTypes(f).length, 0),
      },
      {
        entries: ["default_arm64", "m5d"],
        manufacturers: ["Intel"],
        architectures: ["arm64", "x86_64"],
        commonArchitectures: [],
        keywords: ["default_arm64"],
        withoutInstanceStorage: ["default_arm64"],
        typeCount: familyTypes("m5d").length,
      },
    ];
    for (const c of cases) {
      it(`${JSON.stringify(c.entries)}${c.pinned ? " (keywords pinned)" : ""}`, () => {
        const got = classifyInstanceTypes(c.entries, { keywordsPinned: c.pinned });
        assert.deepEqual(got.manufacturers, c.manufacturers);
        assert.deepEqual(got.architectures, c.architectures);
        assert.deepEqual(got.commonArchitectures, c.commonArchitectures);
        assert.deepEqual(got.unknown, c.unknown ?? []);
        assert.deepEqual(got.keywords, c.keywords ?? []);
        assert.deepEqual(got.withoutInstanceStorage, c.withoutInstanceStorage);
        assert.equal(got.types.length, c.typeCount);
      });
    }
  });
});
