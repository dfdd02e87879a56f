/**
 * How a process's container name becomes the image an AWS Batch host pulls, and which of
 * those go through the stack's ECR pull-through cache. Pure.
 *
 * Read from Nextflow's source (nextflow-io/nextflow @ 2aad02f65758, v26.08.0-edge+; the same
 * logic in v25.10.0 @ 6e96bfad22):
 * - `TaskRun.getContainer()` resolves the process's `container` through
 *   `DefaultContainerResolver.resolveImage0`, which calls
 *   `new ContainerHandler(task.getContainerConfig()).normalizeImageName(name)`
 *   (modules/nextflow/src/main/groovy/nextflow/processor/TaskRun.groovy L735-759,
 *   .../container/resolver/DefaultContainerResolver.groovy L64-67).
 * - `TaskRun.getContainerConfig()` (L790-804) asks the executor for its engine: the awsbatch
 *   executor answers `'docker'` and is container-native (plugins/nf-amazon/src/main/nextflow/
 *   cloud/aws/batch/AwsBatchExecutor.groovy L95-102), so the `docker { }` scope applies and is
 *   forced enabled: `docker.enabled` is not needed on AWS Batch
 *   (`Session.getContainerConfig(engine)`, Session.groovy L1285-1315).
 * - `ContainerHandler.normalizeDockerImageName` (.../container/ContainerHandler.groovy
 *   L152-180, `overrideRegistryName` L292-309) is ported below line by line.
 * - The result goes into the Batch job definition as `containerProperties.image`
 *   (AwsBatchTaskHandler.groovy L561-578) after `ContainerNameValidator.isValidImageName`
 *   (L781-783); a name starting `job-definition://` names an existing job definition instead
 *   (L459-461).
 * If Wave is enabled, nf-wave's resolver replaces the default one; this stack does not use it.
 */
import { UPSTREAMS, UPSTREAM_NAMES, type UpstreamName } from "../config/containerCache";

/** The two `docker` scope settings that change a container name. */
export interface DockerRegistrySettings {
  /** `docker.registry`. */
  readonly registry?: string;
  /** `docker.registryOverride` (Nextflow 25.10 and later; unknown to older releases). */
  readonly registryOverride?: boolean;
}

/**
 * `ContainerHandler.isAbsoluteDockerName`: a name is fully qualified when its first path
 * segment contains `.` or `:` (`quay.io/...`, `localhost:5000/...`; not `localhost/...`).
 */
export function isAbsoluteDockerName(image: string): boolean {
  const p = image.indexOf("/");
  if (p === -1) return false;
  const first = image.substring(0, p);
  return first.includes(".") || first.includes(":");
}

/** `FileHelper.URL_PROTOCOL` (modules/nf-commons/.../file/FileHelper.groovy L62, L1139-1147). */
function urlProtocol(s: string): string | undefined {
  if (s.startsWith("file:/")) return "file";
  return /^([a-zA-Z][a-zA-Z0-9]*):\/\/.+/.exec(s)?.[1];
}

/** `ContainerHandler.overrideRegistryName`: the first segment, if a host, replaced by `target`. */
export function overrideRegistryName(repository: string, target: string): string {
  const scheme = urlProtocol(repository);
  const source = scheme !== undefined ? repository.substring(scheme.length + 3) : repository;
  const p = source.indexOf("/");
  const first = p !== -1 ? source.substring(0, p) : source;
  const isHost = first.includes(".") || first.includes(":");
  const path = isHost ? source.substring(p + 1) : source;
  const result = (target.endsWith("/") ? target : `${target}/`) + path;
  return scheme !== undefined ? `${scheme}://${result}` : result;
}

/**
 * `ContainerHandler.normalizeDockerImageName`: what Nextflow makes of a container name.
 * - No `docker.registry`: the name as written (Docker then reads an unqualified name as
 *   Docker Hub's), `registryOverride` or not.
 * - Unqualified name: `docker.registry` + `/` + name, by plain concatenation, so a registry
 *   value may carry a path (`<account>.dkr.ecr.<region>.amazonaws.com/<prefix>-quay`).
 * - Fully qualified name: unchanged, unless `registryOverride` replaces its host with the one
 *   `docker.registry` value, whatever the host was.
 */
export function normalizeDockerImageName(image: string, docker: DockerRegistrySettings): string {
  const reg = docker.registry;
  if (!reg) return image;
  if (isAbsoluteDockerName(image)) return docker.registryOverride ? overrideRegistryName(image, reg) : image;
  return (reg.endsWith("/") ? reg : `${reg}/`) + image;
}

/** Docker's reference grammar, as Nextflow checks it before registering a job definition. */
export function isValidImageName(image: string): boolean {
  // ContainerNameValidator.groovy: [registry/]name[/name...][:tag|@sha256:<64 hex>].
  return /^([a-zA-Z0-9-.]+(:[0-9]+)?\/)?[a-z0-9-_.]+(\/[a-z0-9-_.]+)*((:[a-zA-Z0-9-_.]+)|(@sha256:[a-fA-F0-9]{64}))?$/.test(
    image,
  );
}

/** One upstream registry the stack caches, and where its images are served from. */
export interface CacheRoute {
  readonly upstream: UpstreamName;
  /** `<registry host>/<rule prefix>`: a cached image is `<uri>/<upstream repository path>`. */
  readonly uri: string;
}

/** The routes of a stack's cache, in UPSTREAM_NAMES order, for the upstreams it has rules for. */
export function cacheRoutes(
  registry: string,
  prefixes: Readonly<Partial<Record<UpstreamName, string>>>,
): CacheRoute[] {
  return UPSTREAM_NAMES.flatMap((u) => {
    const prefix = prefixes[u];
    return prefix === undefined ? [] : [{ upstream: u, uri: `${registry}/${prefix}` }];
  });
}

/**
 * The cache URI to write into a per-process `container` override for a fully qualified image
 * name, or undefined when its registry has no route (community.wave.seqera.io, ghcr.io,
 * nvcr.io, ...: pulled as written). Docker Hub official images need `library/`: "For Docker
 * Hub official images, the /library prefix must be included" (ECR user guide,
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-working.html).
 */
export function cacheUriFor(image: string, routes: readonly CacheRoute[]): string | undefined {
  if (!isAbsoluteDockerName(image)) return undefined;
  const slash = image.indexOf("/");
  const host = image.substring(0, slash);
  const path = image.substring(slash + 1);
  const route = routes.find((r) => UPSTREAMS[r.upstream].imageHosts.includes(host));
  if (route === undefined) return undefined;
  const officialImage = route.upstream === "dockerHub" && !path.includes("/");
  return `${route.uri}/${officialImage ? `library/${path}` : path}`;
}

/**
 * Where a host pulls a resolved image from: the cache route serving it, or the registry host
 * it names (Docker Hub for an unqualified name, as Docker reads it).
 */
export function pullSource(
  resolved: string,
  routes: readonly CacheRoute[],
): { cache: UpstreamName } | { upstream: string } {
  const route = routes.find((r) => resolved.startsWith(`${r.uri}/`));
  if (route !== undefined) return { cache: route.upstream };
  return {
    upstream: isAbsoluteDockerName(resolved) ? resolved.substring(0, resolved.indexOf("/")) : "docker.io",
  };
}
