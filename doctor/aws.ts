/**
 * The AWS side of the doctor: which credentials and region, the SDK v3 clients, and what an
 * AWS error means for the user (a permission to name, credentials to renew, a region to fix).
 */
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { BatchClient } from "@aws-sdk/client-batch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ECSClient } from "@aws-sdk/client-ecs";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import { fromIni, fromNodeProviderChain } from "@aws-sdk/credential-providers";
import type { DoctorAction } from "./permissions";

/** A credential provider as the SDK's own loaders return it. */
export type AwsCredentialIdentityProvider = ReturnType<typeof fromNodeProviderChain>;

export interface AwsClients {
  readonly autoscaling: AutoScalingClient;
  readonly batch: BatchClient;
  readonly ec2: EC2Client;
  readonly ecs: ECSClient;
  readonly iam: IAMClient;
  readonly logs: CloudWatchLogsClient;
  readonly s3: S3Client;
  readonly sts: STSClient;
}

/**
 * Credentials the way the wizard and `pulumi up` pick them: the stack's `aws:profile` (or
 * `--profile`) through the SDK's own shared-file loader; without one, the SDK's default chain
 * (AWS_PROFILE, AWS_ACCESS_KEY_ID, SSO, the default profile, instance roles).
 */
export function credentialsFor(profile: string | undefined): AwsCredentialIdentityProvider {
  return profile === undefined ? fromNodeProviderChain() : fromIni({ profile });
}

export function makeClients(region: string, credentials: AwsCredentialIdentityProvider): AwsClients {
  // Standard retry mode with a few more attempts: Describe* calls are throttled per account,
  // and a lab may be running a pipeline while the doctor looks.
  const config = { region, credentials, maxAttempts: 5 };
  return {
    autoscaling: new AutoScalingClient(config),
    batch: new BatchClient(config),
    ec2: new EC2Client(config),
    ecs: new ECSClient(config),
    iam: new IAMClient(config),
    logs: new CloudWatchLogsClient(config),
    s3: new S3Client(config),
    sts: new STSClient(config),
  };
}

/** An action the caller's identity may not perform. */
export class PermissionError extends Error {
  constructor(
    /** The action AWS named in its message, else the one the doctor was calling. */
    readonly action: string,
    readonly awsMessage: string,
  ) {
    super(`not allowed to call ${action}: ${awsMessage}`);
    this.name = "PermissionError";
  }
}

/** Something that stops the doctor before it can check anything; exit 2, one line. */
export class FatalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FatalError";
  }
}

const ACCESS_DENIED_NAMES = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "AuthorizationError",
  "UnauthorizedException",
]);
const EXPIRED_NAMES = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "RequestExpired",
  "TokenRefreshRequired",
]);
const BAD_CREDENTIAL_NAMES = new Set([
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "SignatureDoesNotMatch",
  "AuthFailure",
  "InvalidAccessKeyId",
]);

/** The SDK's name for an AWS error (its error code), "" for anything else. */
export function nameOf(e: unknown): string {
  return e instanceof Error ? e.name : "";
}
/** An AWS error's `Code` where the error carries one, else its name. */
export function codeOf(e: unknown): string {
  return (e as { Code?: string; code?: string }).Code ?? nameOf(e);
}
function messageOf(e: unknown): string {
  return e instanceof Error ? e.message.split("\n")[0] : String(e);
}

/** `... is not authorized to perform: batch:SubmitJob on resource: ...` names the action AWS checked. */
export function deniedAction(message: string): string | undefined {
  return /\bperform:?\s+([a-z0-9-]+:[A-Za-z0-9]+)/.exec(message)?.[1];
}

export function isAccessDenied(e: unknown): boolean {
  if (ACCESS_DENIED_NAMES.has(nameOf(e))) return true;
  // Batch answers an IAM denial with ClientException and the standard IAM sentence.
  return /not authorized to perform/i.test(messageOf(e));
}

/**
 * What a failed AWS call means. Credential and network problems are fatal for the whole run
 * (the user must fix them first); a denial is a {@link PermissionError}; anything else is
 * passed on.
 */
export function classify(action: DoctorAction, e: unknown, profile: string | undefined): Error {
  const name = nameOf(e);
  const msg = messageOf(e).replace(/\.+$/, "");
  const who = profile === undefined ? "your default AWS credentials" : `profile ${profile}`;
  const login =
    profile === undefined
      ? "set AWS_PROFILE or run `aws configure` / `aws sso login`"
      : `aws sso login --profile ${profile} (or refresh its keys in ~/.aws/credentials)`;
  if (name === "CredentialsProviderError" || /could not load credentials/i.test(msg)) {
    return new FatalError(
      `no AWS credentials for ${who}: ${msg}. Fix: ${login}, or set aws:profile in the stack file`,
    );
  }
  if (EXPIRED_NAMES.has(name) || /token.*expired|expired.*token/i.test(msg)) {
    return new FatalError(`the AWS credentials of ${who} have expired (${name}). Fix: ${login}`);
  }
  if (BAD_CREDENTIAL_NAMES.has(name)) {
    return new FatalError(`AWS rejected the credentials of ${who} (${name}: ${msg}). Fix: ${login}`);
  }
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo/.test(msg)) {
    return new FatalError(
      `cannot reach AWS (${msg}). Fix: check this machine's network, proxy (HTTPS_PROXY) and the region name`,
    );
  }
  if (isAccessDenied(e)) return new PermissionError(deniedAction(msg) ?? action, msg);
  return e instanceof Error ? e : new Error(msg);
}

/**
 * Calls AWS for `action`. Every AWS call in the doctor goes through here, so a denial always
 * names its action and the table in permissions.ts always lists it.
 */
export async function call<T>(
  action: DoctorAction,
  profile: string | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw classify(action, e, profile);
  }
}

/** `why` of an action from the table, for messages. */
/** arn:partition:service:region:account:resource. */
export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const m = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/.exec(arn);
  return m ? { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] } : undefined;
}
