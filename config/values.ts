/**
 * Value parsers for stack config keys. Each takes one raw value, as YAML gives it or as the
 * string Pulumi hands a program, and returns it typed or throws {@link Invalid} with the
 * sentence that follows "<key> must be". Pure.
 */
import {
  CACHE_PREFIX_ALLOWED,
  isCachePrefix,
  parseSecretArn,
  PTC_SECRET_NAME_PREFIX,
} from "./containerCache";

import { bucketNameProblem, caseCollision, tagKeyProblem, tagValueProblem } from "./awsRules";

/** A problem with one key's value: `allowed` is the sentence after "<key> must be". */
export class Invalid extends Error {
  constructor(
    readonly allowed: string,
    readonly fix?: string,
  ) {
    super(allowed);
  }
}

export type Parser<V> = (raw: unknown) => V;

export function integer(min: number, max: number): Parser<number> {
  return (raw) => {
    const n = typeof raw === "string" && /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
    if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
      throw new Invalid(`an integer from ${min} to ${max}`);
    }
    return n;
  };
}

export const boolean: Parser<boolean> = (raw) => {
  if (raw === true || raw === "true") return true;
  if (raw === false || raw === "false") return false;
  throw new Invalid("true or false");
};

export function oneOf<T extends string>(values: readonly T[]): Parser<T> {
  return (raw) => {
    const found = values.find((v) => v === raw);
    if (found === undefined) throw new Invalid(`one of ${values.map((v) => `"${v}"`).join(", ")}`);
    return found;
  };
}

export function matching(pattern: RegExp, allowed: string): Parser<string> {
  return (raw) => {
    if (typeof raw !== "string" || !pattern.test(raw)) throw new Invalid(allowed);
    return raw;
  };
}

/** "" is how Pulumi.yaml declares "no value" for an optional string key. */
export function orEmpty(parse: Parser<string>): Parser<string> {
  return (raw) => (raw === "" ? "" : parse(raw));
}

/** Pulumi hands structured values to the program as JSON text; YAML hands them over as-is. */
export function structured(raw: unknown): unknown {
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export function stringList(
  item: RegExp,
  itemAllowed: string,
  opts: { min: number; max: number },
): Parser<readonly string[]> {
  return (raw) => {
    const value = structured(raw);
    const allowed = `a list of ${opts.min} to ${opts.max} ${itemAllowed}, without duplicates`;
    if (!Array.isArray(value) || value.length < opts.min || value.length > opts.max)
      throw new Invalid(allowed);
    const items: string[] = [];
    for (const v of value) {
      if (typeof v !== "string" || !item.test(v)) throw new Invalid(allowed);
      items.push(v);
    }
    if (new Set(items).size !== items.length) throw new Invalid(allowed);
    return items;
  };
}

/**
 * Tags AWS accepts on every resource the stack tags (rules and sources in ./awsRules):
 * `reservedKeys` are the stack's own, `room` how many more tags a resource may carry.
 */
export function tagMap(
  reservedKeys: readonly string[],
  room: number,
): Parser<Readonly<Record<string, string>>> {
  return (raw) => {
    const value = structured(raw);
    const allowed = `a map of at most ${room} tags AWS accepts (keys 1-128 and values up to 256 characters of letters, digits, spaces and _ . : / = + - @; no aws: prefix; keys distinct ignoring case)`;
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Invalid(allowed);
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      const reserved = reservedKeys.find((r) => r.toLowerCase() === k.toLowerCase());
      if (reserved !== undefined) {
        throw new Invalid(
          `a map without the keys ${reservedKeys.join(", ")} (the stack sets those itself)`,
          `remove "${k}"; set the lab tag through nextflow-batch:labName`,
        );
      }
      const keyProblem = tagKeyProblem(k);
      if (keyProblem)
        throw new Invalid(allowed, `tag key ${JSON.stringify(k)} must be ${keyProblem}; rename it`);
      if (typeof v !== "string") {
        throw new Invalid(
          allowed,
          `the value of ${JSON.stringify(k)} is ${JSON.stringify(v)}, not text; quote it in the stack file (${k}: "${String(v)}")`,
        );
      }
      const valueProblem = tagValueProblem(v);
      if (valueProblem) {
        throw new Invalid(allowed, `the value of ${JSON.stringify(k)} must be ${valueProblem}; change it`);
      }
      tags[k] = v;
    }
    const collision = caseCollision(Object.keys(tags));
    if (collision) {
      throw new Invalid(
        allowed,
        `${JSON.stringify(collision[0])} and ${JSON.stringify(collision[1])} differ only in case, which IAM treats as one key; keep one`,
      );
    }
    if (Object.keys(tags).length > room) {
      throw new Invalid(
        allowed,
        `remove ${Object.keys(tags).length - room} of the ${Object.keys(tags).length} tags`,
      );
    }
    return tags;
  };
}

/** A list of S3 bucket names, each one S3 would accept (./awsRules `bucketNameProblem`). */
export function bucketNames(opts: { max: number }): Parser<readonly string[]> {
  const list = stringList(/^.*$/, "S3 bucket names", { min: 0, max: opts.max });
  return (raw) => {
    const names = list(raw);
    for (const name of names) {
      const problem = bucketNameProblem(name);
      if (problem) {
        throw new Invalid(
          `a list of 0 to ${opts.max} S3 bucket names, without duplicates`,
          `bucket name ${JSON.stringify(name)} must be ${problem} (Amazon S3 bucket naming rules); correct or remove it`,
        );
      }
    }
    return names;
  };
}

/** A private IPv4 network address from /16 to /24: what awsx can carve subnets from. */
export const privateCidr16to24: Parser<string> = (raw) => {
  const allowed = "an IPv4 CIDR block from /16 to /24 in a private range, e.g. 10.0.0.0/16";
  if (typeof raw !== "string") throw new Invalid(allowed);
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(raw);
  if (!m) throw new Invalid(allowed);
  const [a, b, c, d, bits] = m.slice(1).map(Number);
  if ([a, b, c, d].some((o) => o > 255) || bits < 16 || bits > 24) throw new Invalid(allowed);
  const ip = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  if (ip & (2 ** (32 - bits) - 1))
    throw new Invalid(allowed, `use the network address, e.g. ${a}.${b}.0.0/${bits}`);
  const isPrivate = a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  if (!isPrivate) throw new Invalid(allowed);
  return raw;
};

/** An integer that must also be one of `values` (CloudWatch's fixed retention periods, say). */
export function integerIn(values: readonly number[], allowed: string): Parser<number> {
  const asInteger = integer(Math.min(...values), Math.max(...values));
  return (raw) => {
    const n = asInteger(raw);
    if (!values.includes(n)) throw new Invalid(allowed);
    return n;
  };
}

/** A stack's ECR cache prefix (see ./containerCache): what every rule prefix starts with. */
export const cachePrefix: Parser<string> = (raw) => {
  if (typeof raw !== "string" || !isCachePrefix(raw)) throw new Invalid(CACHE_PREFIX_ALLOWED);
  return raw;
};

const SECRET_ARN_FIX =
  "copy the secret's ARN from: aws secretsmanager describe-secret --secret-id ecr-pullthroughcache/docker-hub --query ARN --output text";

/**
 * The complete ARN of a Secrets Manager secret ECR may read for a pull-through cache rule: its
 * name must start with `ecr-pullthroughcache/`. Its region and partition are checked against
 * the stack's by the parser, which knows `aws:region`.
 */
export const pullThroughCacheSecretArn: Parser<string> = (raw) => {
  const arn = typeof raw === "string" ? parseSecretArn(raw) : undefined;
  if (arn === undefined) {
    throw new Invalid(
      `the complete ARN of a Secrets Manager secret, arn:<partition>:secretsmanager:<region>:<account>:secret:${PTC_SECRET_NAME_PREFIX}<name>-<6 characters>`,
      SECRET_ARN_FIX,
    );
  }
  if (!arn.name.startsWith(PTC_SECRET_NAME_PREFIX) || arn.name.length === PTC_SECRET_NAME_PREFIX.length) {
    throw new Invalid(
      `the ARN of a secret whose name starts with "${PTC_SECRET_NAME_PREFIX}" (ECR reads upstream credentials only from such secrets)`,
      `create the secret as ${PTC_SECRET_NAME_PREFIX}docker-hub with the keys username and accessToken, then give its ARN`,
    );
  }
  return raw as string;
};
