// How Nextflow turns a process's container into the image a Batch host pulls, and which images
// the stack's cache serves: the port against Nextflow's own test tables, then real nf-core
// module declarations as their pipelines configure them.
import assert from "node:assert/strict";
import {
  cacheRoutes,
  cacheUriFor,
  isValidImageName,
  normalizeDockerImageName,
  overrideRegistryName,
  pullSource,
  type DockerRegistrySettings,
} from "../../nextflow/containers";

describe("Nextflow's container name rules (port of ContainerHandler)", () => {
  // nextflow-io/nextflow @ 2aad02f65758,
  // modules/nextflow/src/test/groovy/nextflow/container/ContainerHandlerTest.groovy L54-64.
  const normalize: [string, string | undefined, boolean | undefined, string][] = [
    ["hello", undefined, undefined, "hello"],
    ["cbcrg/hello", undefined, undefined, "cbcrg/hello"],
    ["cbcrg/hello", "d.reg", undefined, "d.reg/cbcrg/hello"],
    ["cbcrg/hello", "d.reg/", undefined, "d.reg/cbcrg/hello"],
    ["registry:5000/cbcrg/hello", "d.reg", undefined, "registry:5000/cbcrg/hello"],
    ["registry:5000/cbcrg/hello", "d.reg", false, "registry:5000/cbcrg/hello"],
    ["registry:5000/cbcrg/hello", "d.reg", true, "d.reg/cbcrg/hello"],
  ];
  for (const [image, registry, registryOverride, expected] of normalize) {
    it(`normalizeDockerImageName(${image}, registry ${registry}, override ${registryOverride}) = ${expected}`, () => {
      assert.equal(normalizeDockerImageName(image, { registry, registryOverride }), expected);
    });
  }

  // Same file, L372-392.
  const override: [string, string, string][] = [
    ["foo", "bar.io", "bar.io/foo"],
    ["this/that", "bar.io", "bar.io/this/that"],
    ["this/that:latest", "bar.io", "bar.io/this/that:latest"],
    ["this/that:latest", "bar.io/", "bar.io/this/that:latest"],
    ["d.io/foo", "bar.io", "bar.io/foo"],
    ["d.io/this/that", "bar.io", "bar.io/this/that"],
    ["d.io/this/that:latest", "bar.io", "bar.io/this/that:latest"],
    ["d.io/this/that:latest", "bar.io/", "bar.io/this/that:latest"],
    ["d:80/foo", "bar.io", "bar.io/foo"],
    ["d:80/this/that", "bar.io", "bar.io/this/that"],
    ["d:80/this/that:latest", "bar.io", "bar.io/this/that:latest"],
    ["d.io:8080/foo", "bar.io", "bar.io/foo"],
    ["d.io:8080/this/that", "bar.io", "bar.io/this/that"],
    ["d.io:8080/this/that:latest", "bar.io", "bar.io/this/that:latest"],
    ["oras://quay.io/foo", "bar.io", "oras://bar.io/foo"],
    ["oras://quay.io/this/that:latest", "bar.io", "oras://bar.io/this/that:latest"],
  ];
  for (const [repository, target, expected] of override) {
    it(`overrideRegistryName(${repository}, ${target}) = ${expected}`, () => {
      assert.equal(overrideRegistryName(repository, target), expected);
    });
  }

  it("localhost/foo is not fully qualified (no '.' or ':'), localhost:5000/foo is", () => {
    assert.equal(
      normalizeDockerImageName("localhost/foo:1.0", { registry: "r.io" }),
      "r.io/localhost/foo:1.0",
    );
    assert.equal(
      normalizeDockerImageName("localhost:5000/foo:1.0", { registry: "r.io" }),
      "localhost:5000/foo:1.0",
    );
  });
});

const REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
const QUAY_CACHE = `${REGISTRY}/smith-lab-dev-quay`;
const HUB_CACHE = `${REGISTRY}/smith-lab-dev-docker-hub`;
const ROUTES = cacheRoutes(REGISTRY, {
  quay: "smith-lab-dev-quay",
  ecrPublic: "smith-lab-dev-ecr-public",
  dockerHub: "smith-lab-dev-docker-hub",
});
const ROUTES_WITHOUT_HUB = ROUTES.filter((r) => r.upstream !== "dockerHub");

/**
 * nf-core pipelines set `docker.registry = 'quay.io'` (nf-core/tools 3.5.2 @ fee44dae3fb1,
 * nf_core/pipeline-template/nextflow.config L241; nf-core/rnaseq 3.24.0 @ 47b3b0d3daad,
 * nextflow.config L336). A `-c` file overrides the project's nextflow.config (Nextflow
 * docs/config.mdx, "Configuration files"), so with unqualifiedImages quayCache the generated
 * config's value wins; with `unchanged` it emits none and nf-core's applies. Never
 * registryOverride.
 */
const NF_CORE: DockerRegistrySettings = { registry: "quay.io" };
const QUAY_CACHE_CONFIG: DockerRegistrySettings = { registry: QUAY_CACHE };

/**
 * The Docker side of real module declarations (what the awsbatch executor resolves: its
 * engine is docker, `workflow.containerEngine` is not singularity/apptainer), with where each
 * comes from, what a host pulls with the default config (quayCache) and with `unchanged`, and
 * the per-process override URI the README's recipe writes (undefined: no cache can serve it).
 */
interface Fixture {
  readonly source: string;
  readonly image: string;
  readonly withQuayCache: string;
  readonly withUnchanged: string;
  readonly overrideUri: string | undefined;
}
const FIXTURES: Fixture[] = [
  {
    source: "nf-core/rnaseq 3.24.0 @ 47b3b0d3daad modules/nf-core/fastqc/main.nf L8 (blob f5629527d12e)",
    image: "biocontainers/fastqc:0.12.1--hdfd78af_0",
    withQuayCache: `${QUAY_CACHE}/biocontainers/fastqc:0.12.1--hdfd78af_0`,
    withUnchanged: "quay.io/biocontainers/fastqc:0.12.1--hdfd78af_0",
    overrideUri: undefined,
  },
  {
    source: "nf-core/rnaseq 3.24.0 modules/nf-core/custom/rsemmergecounts/main.nf L8 (blob 006a0d2ad141)",
    image: "nf-core/ubuntu:20.04",
    withQuayCache: `${QUAY_CACHE}/nf-core/ubuntu:20.04`,
    withUnchanged: "quay.io/nf-core/ubuntu:20.04",
    overrideUri: undefined,
  },
  {
    source: "nf-core/rnaseq 3.24.0 modules/nf-core/bbmap/bbsplit/main.nf L9 (blob bce2208321c3)",
    image: "community.wave.seqera.io/library/bbmap_pigz:07416fe99b090fa9",
    withQuayCache: "community.wave.seqera.io/library/bbmap_pigz:07416fe99b090fa9",
    withUnchanged: "community.wave.seqera.io/library/bbmap_pigz:07416fe99b090fa9",
    overrideUri: undefined,
  },
  {
    source: "nf-core/modules @ 041fbd98880c modules/nf-core/fastqc/main.nf L8 (blob 10851264c1d1)",
    image: "quay.io/biocontainers/fastqc:0.12.1--hdfd78af_0",
    withQuayCache: "quay.io/biocontainers/fastqc:0.12.1--hdfd78af_0",
    withUnchanged: "quay.io/biocontainers/fastqc:0.12.1--hdfd78af_0",
    overrideUri: `${QUAY_CACHE}/biocontainers/fastqc:0.12.1--hdfd78af_0`,
  },
  {
    source:
      "nf-core/modules @ 041fbd98880c modules/nf-core/custom/rsemmergecounts/main.nf L8 (blob 4e6267caf2af)",
    image: "quay.io/nf-core/ubuntu:20.04",
    withQuayCache: "quay.io/nf-core/ubuntu:20.04",
    withUnchanged: "quay.io/nf-core/ubuntu:20.04",
    overrideUri: `${QUAY_CACHE}/nf-core/ubuntu:20.04`,
  },
  {
    source: "nf-core/modules @ 041fbd98880c modules/nf-core/multiqc/main.nf L8 (blob c4bc715e22b2)",
    image: "community.wave.seqera.io/library/multiqc:1.35--c17fb751507e9dfc",
    withQuayCache: "community.wave.seqera.io/library/multiqc:1.35--c17fb751507e9dfc",
    withUnchanged: "community.wave.seqera.io/library/multiqc:1.35--c17fb751507e9dfc",
    overrideUri: undefined,
  },
  {
    source: "nf-core/modules @ 041fbd98880c modules/nf-core/samtools/sort/main.nf L8 (blob 01f4f8c6820f)",
    image: "community.wave.seqera.io/library/htslib_samtools:1.24--d697cfb9dce007cd",
    withQuayCache: "community.wave.seqera.io/library/htslib_samtools:1.24--d697cfb9dce007cd",
    withUnchanged: "community.wave.seqera.io/library/htslib_samtools:1.24--d697cfb9dce007cd",
    overrideUri: undefined,
  },
  {
    source:
      "nf-core/modules @ 041fbd98880c modules/nf-core/deepvariant/callvariants/main.nf L7 (blob 301354b87d18)",
    image: "docker.io/google/deepvariant:1.10.0",
    withQuayCache: "docker.io/google/deepvariant:1.10.0",
    withUnchanged: "docker.io/google/deepvariant:1.10.0",
    overrideUri: `${HUB_CACHE}/google/deepvariant:1.10.0`,
  },
  {
    source: "nf-core/modules @ 041fbd98880c modules/nf-core/genescopefk/main.nf L6 (blob 5d715bfe84b6)",
    image: "ghcr.io/nbisweden/fastk_genescopefk_merquryfk:1.2",
    withQuayCache: "ghcr.io/nbisweden/fastk_genescopefk_merquryfk:1.2",
    withUnchanged: "ghcr.io/nbisweden/fastk_genescopefk_merquryfk:1.2",
    overrideUri: undefined,
  },
];

describe("nf-core module images through this stack's cache", () => {
  for (const f of FIXTURES) {
    it(`${f.image} (${f.source})`, () => {
      const viaCache = normalizeDockerImageName(f.image, QUAY_CACHE_CONFIG);
      const viaPipeline = normalizeDockerImageName(f.image, NF_CORE);
      assert.equal(viaCache, f.withQuayCache);
      assert.equal(viaPipeline, f.withUnchanged);
      assert.equal(cacheUriFor(viaCache, ROUTES), f.overrideUri);
      // Every name a host is handed passes Nextflow's check before it registers a job definition.
      for (const name of [viaCache, viaPipeline, ...(f.overrideUri ? [f.overrideUri] : [])])
        assert.ok(isValidImageName(name), name);
    });
  }

  it("where each pulls from with the default config: the quay.io cache, or the registry it names", () => {
    assert.deepEqual(
      FIXTURES.map((f) => [f.image, pullSource(f.withQuayCache, ROUTES)]),
      [
        ["biocontainers/fastqc:0.12.1--hdfd78af_0", { cache: "quay" }],
        ["nf-core/ubuntu:20.04", { cache: "quay" }],
        [
          "community.wave.seqera.io/library/bbmap_pigz:07416fe99b090fa9",
          { upstream: "community.wave.seqera.io" },
        ],
        ["quay.io/biocontainers/fastqc:0.12.1--hdfd78af_0", { upstream: "quay.io" }],
        ["quay.io/nf-core/ubuntu:20.04", { upstream: "quay.io" }],
        [
          "community.wave.seqera.io/library/multiqc:1.35--c17fb751507e9dfc",
          { upstream: "community.wave.seqera.io" },
        ],
        [
          "community.wave.seqera.io/library/htslib_samtools:1.24--d697cfb9dce007cd",
          { upstream: "community.wave.seqera.io" },
        ],
        ["docker.io/google/deepvariant:1.10.0", { upstream: "docker.io" }],
        ["ghcr.io/nbisweden/fastk_genescopefk_merquryfk:1.2", { upstream: "ghcr.io" }],
      ],
    );
    // With per-process overrides, the quay.io and Docker Hub ones come from the cache too.
    assert.deepEqual(
      FIXTURES.filter((f) => f.overrideUri !== undefined).map((f) => pullSource(f.overrideUri!, ROUTES)),
      [{ cache: "quay" }, { cache: "quay" }, { cache: "dockerHub" }],
    );
  });

  it("without a Docker Hub rule a docker.io image has no cache URI; official images get library/", () => {
    assert.equal(cacheUriFor("docker.io/google/deepvariant:1.10.0", ROUTES_WITHOUT_HUB), undefined);
    assert.equal(cacheUriFor("docker.io/ubuntu:22.04", ROUTES), `${HUB_CACHE}/library/ubuntu:22.04`);
    assert.equal(
      cacheUriFor("public.ecr.aws/docker/library/ubuntu:22.04", ROUTES),
      `${REGISTRY}/smith-lab-dev-ecr-public/docker/library/ubuntu:22.04`,
    );
    // An unqualified name is resolved by docker.registry, not by an override.
    assert.equal(cacheUriFor("ubuntu:22.04", ROUTES), undefined);
  });

  it("why the generated config never sets registryOverride: every host goes to the one cache", () => {
    const everything: DockerRegistrySettings = { registry: QUAY_CACHE, registryOverride: true };
    // Right for quay.io images...
    assert.equal(
      normalizeDockerImageName("quay.io/biocontainers/fastqc:0.12.1--hdfd78af_0", everything),
      `${QUAY_CACHE}/biocontainers/fastqc:0.12.1--hdfd78af_0`,
    );
    // ...wrong for the rest: ECR would ask quay.io for images that live elsewhere.
    assert.equal(
      normalizeDockerImageName("community.wave.seqera.io/library/multiqc:1.35--c17fb751507e9dfc", everything),
      `${QUAY_CACHE}/library/multiqc:1.35--c17fb751507e9dfc`,
    );
    assert.equal(
      normalizeDockerImageName("docker.io/google/deepvariant:1.10.0", everything),
      `${QUAY_CACHE}/google/deepvariant:1.10.0`,
    );
    // And it breaks a job-definition:// name ('-' is not a URL scheme character for Nextflow).
    const jobDef = normalizeDockerImageName("job-definition://my-jobdef:3", everything);
    assert.equal(jobDef, `${QUAY_CACHE}//my-jobdef:3`);
    assert.equal(isValidImageName(jobDef), false);
    // Without the override a job definition name is left alone.
    assert.equal(
      normalizeDockerImageName("job-definition://my-jobdef:3", QUAY_CACHE_CONFIG),
      "job-definition://my-jobdef:3",
    );
  });

  it("a pipeline that means Docker Hub by unqualified names is sent to the quay.io cache by quayCache (documented)", () => {
    assert.equal(normalizeDockerImageName("ubuntu:22.04", QUAY_CACHE_CONFIG), `${QUAY_CACHE}/ubuntu:22.04`);
    assert.equal(normalizeDockerImageName("ubuntu:22.04", {}), "ubuntu:22.04");
    assert.deepEqual(pullSource("ubuntu:22.04", ROUTES), { upstream: "docker.io" });
  });
});
