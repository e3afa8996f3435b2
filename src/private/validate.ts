import { isIP } from 'net';
import { Duration, Size, SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import { Problems } from './errors';

/** Shows a value in an error message the way the user wrote it. */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (value instanceof Duration) {
    // aws-cdk-lib prints NaN as '' and Infinity as 'Infinity days'.
    const ms = value.isUnresolved() ? 0 : value.toMilliseconds({ integral: false });
    return Number.isFinite(ms) ? value.toHumanString() : String(ms);
  }
  if (Array.isArray(value)) {
    return `[${value.map(show).join(', ')}]`;
  }
  return String(value);
}

/** True when a value is a Token that only resolves at deploy time; such values are never judged. */
export function unresolved(value: unknown): boolean {
  if (value === undefined || value === null) {
    return false;
  }
  if (value instanceof Duration) {
    return value.isUnresolved();
  }
  return Token.isUnresolved(value);
}

/** A literal Duration in seconds, fractions kept (aws-cdk-lib's own conversions reject fractions). */
export function literalSeconds(d: Duration): number {
  return d.toMilliseconds({ integral: false }) / 1000;
}

/** A literal Duration in seconds (fractions kept); `fallback` for undefined or a Token. */
export function secondsOf<T extends number | undefined>(d: Duration | undefined, fallback: T): number | T {
  return d === undefined || d.isUnresolved() ? fallback : literalSeconds(d);
}

/** Where problems go: a construct's `Problems`, or the list of a plain class. */
export interface ProblemSink {
  add(message: string): void;
}

/** The granularity of a duration prop, and how to say it. */
const UNITS = {
  millis: { ms: 1, words: 'milliseconds', example: 'Duration.millis(500)' },
  seconds: { ms: 1000, words: 'seconds', example: 'Duration.seconds(30)' },
  days: { ms: 86_400_000, words: 'days', example: 'Duration.days(7)' },
};

/** What a duration or size prop accepts. */
export interface AmountRule {
  /** Smallest allowed value, in the rule's unit. @default 0 */
  readonly min?: number;
  /** Largest allowed value, in the rule's unit. @default - no limit */
  readonly max?: number;
  /** True when the value must be above `min` rather than at least `min`. */
  readonly aboveMin?: boolean;
  /** Set when the figure is needed at synth: why, and a Token is then a problem. @default - Tokens are skipped */
  readonly literal?: string;
  /** How to fix it, appended to the message. */
  readonly fix?: string;
}

/** What a Duration prop accepts. */
export interface DurationRule extends AmountRule {
  /** The granularity: whole milliseconds, seconds or days. @default 'millis' */
  readonly unit?: keyof typeof UNITS;
  /** The only values allowed, in the rule's unit (instead of a range). */
  readonly allowed?: number[];
}

/**
 * The one check every Duration prop goes through, naming the prop: a Duration (not NaN, not
 * Infinity), whole units, in range. Tokens are skipped unless the rule needs a literal.
 * Returns the literal value in seconds (fractions kept), or undefined when it is absent, a
 * Token or a problem, so that no bad figure reaches a template or the model.
 */
export function checkDuration(problems: ProblemSink, prop: string, d: Duration | undefined, rule: DurationRule = {}): number | undefined {
  if (d === undefined) {
    return undefined;
  }
  const unit = UNITS[rule.unit ?? 'millis'];
  if (!(d instanceof Duration)) {
    problems.add(`\`${prop}\` must be a Duration, got: ${show(d)}. Give e.g. ${unit.example}.`);
    return undefined;
  }
  if (d.isUnresolved()) {
    if (rule.literal !== undefined) {
      problems.add(`\`${prop}\` is a deploy-time Token, but ${rule.literal}. Give a literal Duration, e.g. ${unit.example}.`);
    }
    return undefined;
  }
  const ms = d.toMilliseconds({ integral: false });
  const amount = ms / unit.ms;
  const fix = rule.fix ? ` ${rule.fix}` : '';
  if (rule.allowed !== undefined && !rule.allowed.includes(amount)) {
    problems.add(`\`${prop}\` must be ${rule.allowed.join(' or ')} ${unit.words}, got: ${show(d)}.${fix}`);
    return undefined;
  }
  if (!inRange(amount, rule)) {
    problems.add(`\`${prop}\` must be whole ${unit.words} ${range(rule)}, got: ${show(d)}.${fix}`);
    return undefined;
  }
  return ms / 1000;
}

/**
 * The one check every Size prop goes through, naming the prop: finite whole bytes in range
 * (`min` and `max` in bytes). Returns the literal bytes, or undefined when absent, a Token or
 * a problem.
 */
export function checkSize(problems: ProblemSink, prop: string, size: Size | undefined, rule: AmountRule = {}): number | undefined {
  if (size === undefined) {
    return undefined;
  }
  if (!(size instanceof Size)) {
    problems.add(`\`${prop}\` must be a Size, got: ${show(size)}. Give e.g. Size.gibibytes(2).`);
    return undefined;
  }
  if (size.isUnresolved()) {
    if (rule.literal !== undefined) {
      problems.add(`\`${prop}\` is a deploy-time Token, but ${rule.literal}. Give a literal Size, e.g. Size.gibibytes(2).`);
    }
    return undefined;
  }
  const bytes = size.toBytes({ rounding: SizeRoundingBehavior.NONE });
  if (!inRange(bytes, rule)) {
    problems.add(`\`${prop}\` must be whole bytes ${range(rule)}, got: ${bytes} bytes.${rule.fix ? ` ${rule.fix}` : ''}`);
    return undefined;
  }
  return bytes;
}

function inRange(amount: number, rule: AmountRule): boolean {
  const min = rule.min ?? 0;
  return Number.isInteger(amount) && (rule.aboveMin ? amount > min : amount >= min) && (rule.max === undefined || amount <= rule.max);
}

function range(rule: AmountRule): string {
  const min = rule.min ?? 0;
  if (rule.max !== undefined) {
    return rule.aboveMin ? `above ${min} and at most ${rule.max}` : `from ${min} to ${rule.max}`;
  }
  return rule.aboveMin ? `above ${min}` : `of ${min} or more`;
}

/** Checks that a Duration is whole seconds in [min, max]; skips undefined and Tokens. */
export function checkSeconds(problems: Problems, prop: string, d: Duration | undefined, min: number, max: number): void {
  checkDuration(problems, prop, d, { unit: 'seconds', min, max });
}

/** Checks that `value` is an integer in [min, max]; skips undefined and Tokens. */
export function checkInteger(problems: Problems, prop: string, value: number | undefined, min: number, max: number, fix: string): void {
  if (value === undefined || unresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.add(`\`${prop}\` must be an integer from ${min} to ${max}, got: ${show(value)}. ${fix}`);
  }
}

/** Rejects a deploy-time Token where the value is needed at synth; `why` says what needs it. */
export function checkLiteral(problems: ProblemSink, prop: string, value: unknown, why: string): void {
  if (unresolved(value)) {
    problems.add(`\`${prop}\` is a deploy-time Token, but ${why}. Give a literal value, not a parameter or an attribute.`);
  }
}

/** Checks that a string is not empty and at most `max` characters; skips undefined and Tokens. */
export function checkLength(problems: Problems, prop: string, value: string | undefined, max: number, fix: string): void {
  if (value === undefined || unresolved(value)) {
    return;
  }
  if (value.length === 0 || value.length > max) {
    problems.add(`\`${prop}\` must be 1 to ${max} characters, got ${value.length}: ${show(truncate(value))}. ${fix}`);
  }
}

/** Checks a DNS name: 1..253 characters, labels of 1..63 letters, digits, hyphens, underscores or `*`. */
export function checkDomainName(problems: Problems, prop: string, value: string | undefined): void {
  if (value === undefined || unresolved(value)) {
    return;
  }
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  const labels = name.split('.');
  const valid = name.length > 0 && name.length <= 253
    && labels.every((l) => /^[A-Za-z0-9_*]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(l));
  if (!valid) {
    problems.add(`\`${prop}\` must be a DNS name (labels of 1 to 63 letters, digits, hyphens or underscores, at most 253 characters in all), got: ${show(truncate(value))}.`);
  }
}

/** A long value cut to 80 characters for an error message. */
export function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}

/** IP version of a literal address, or undefined when it is not one. */
export function ipVersion(address: string): 4 | 6 | undefined {
  const v = isIP(address);
  return v === 4 || v === 6 ? v : undefined;
}

// Ranges that Route 53 health checkers cannot reach (docs/aws-facts.md#route-53-health-checks: RFC 5735,
// RFC 6598 and RFC 5156 ranges).
const IPV4_NON_PUBLIC: Array<[string, number, string]> = [
  ['0.0.0.0', 8, '"this" network (RFC 5735)'],
  ['10.0.0.0', 8, 'private (RFC 1918)'],
  ['100.64.0.0', 10, 'shared address space (RFC 6598)'],
  ['127.0.0.0', 8, 'loopback (RFC 5735)'],
  ['169.254.0.0', 16, 'link-local (RFC 5735)'],
  ['172.16.0.0', 12, 'private (RFC 1918)'],
  ['192.0.0.0', 24, 'IETF protocol assignments (RFC 5735)'],
  ['192.0.2.0', 24, 'documentation TEST-NET-1 (RFC 5735)'],
  ['192.88.99.0', 24, '6to4 relay anycast (RFC 5735)'],
  ['192.168.0.0', 16, 'private (RFC 1918)'],
  ['198.18.0.0', 15, 'benchmarking (RFC 5735)'],
  ['198.51.100.0', 24, 'documentation TEST-NET-2 (RFC 5735)'],
  ['203.0.113.0', 24, 'documentation TEST-NET-3 (RFC 5735)'],
  ['224.0.0.0', 4, 'multicast (RFC 5735)'],
  ['240.0.0.0', 4, 'reserved (RFC 5735)'],
];

const IPV6_NON_PUBLIC: Array<[string, number, string]> = [
  ['::', 128, 'unspecified (RFC 5156)'],
  ['::1', 128, 'loopback (RFC 5156)'],
  ['::ffff:0:0', 96, 'IPv4-mapped (RFC 5156)'],
  ['::', 96, 'IPv4-compatible (RFC 5156)'],
  ['fc00::', 7, 'unique local (RFC 5156)'],
  ['fe80::', 10, 'link-local (RFC 5156)'],
  ['fec0::', 10, 'site-local (RFC 5156)'],
  ['ff00::', 8, 'multicast (RFC 5156)'],
  ['2001:db8::', 32, 'documentation (RFC 5156)'],
  ['2001:10::', 28, 'ORCHID (RFC 5156)'],
];

/**
 * Why Route 53 cannot check an address (private, reserved, documentation, ...), or undefined
 * for a public address.
 */
export function nonPublicReason(address: string): string | undefined {
  const version = ipVersion(address);
  if (version === 4) {
    const bits = ipv4Bits(address);
    return IPV4_NON_PUBLIC.find(([net, len]) => sameprefix(bits, ipv4Bits(net), len))?.[2];
  }
  if (version === 6) {
    const bits = ipv6Bits(address);
    return IPV6_NON_PUBLIC.find(([net, len]) => sameprefix(bits, ipv6Bits(net), len))?.[2];
  }
  return undefined;
}

function sameprefix(a: string, b: string, len: number): boolean {
  return a.slice(0, len) === b.slice(0, len);
}

function ipv4Bits(address: string): string {
  return address.split('.').map((o) => Number(o).toString(2).padStart(8, '0')).join('');
}

function ipv6Bits(address: string): string {
  let text = address.toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (v4) {
    const b = v4[1].split('.').map(Number);
    text = text.slice(0, -v4[1].length) + `${(b[0] * 256 + b[1]).toString(16)}:${(b[2] * 256 + b[3]).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array(8 - headParts.length - tailParts.length).fill('0');
  return [...headParts, ...fill, ...tailParts].map((h) => parseInt(h, 16).toString(2).padStart(16, '0')).join('');
}

/**
 * Checks a map of durations (assumption values): each a literal, finite, zero or more. Tokens
 * are rejected: the model needs the figure at synth.
 */
export function checkDurationMap(problems: ProblemSink, prop: string, values: { [key: string]: Duration } | undefined): void {
  for (const [key, d] of Object.entries(values ?? {})) {
    checkDuration(problems, `${prop}.${key}`, d, {
      literal: 'the recovery model needs the figure at synth',
      fix: 'Give what a drill measured, e.g. Duration.seconds(30).',
    });
  }
}
