/**
 * `cdk-failover analyze`: the recovery model applied to templates not built with cdk-failover.
 * Pure of process state: takes the arguments and where to write, returns the exit code.
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyse, renderAnalysis } from './analysis';

export const USAGE = `Usage: cdk-failover analyze <cdk.out directory | template folder | template files ...> [--rto <duration>] [--rpo <duration>] [--out <directory>]

Reads a cloud assembly, a folder of templates or template files (JSON or YAML), finds the recovery paths
in them (Route 53 failover, weighted and latency records with their health checks, load balancers behind
aliases, RDS and Aurora, global databases, S3 replication, DynamoDB global tables, AWS Backup copies,
Global Accelerator, ARC routing controls, zonal autoshift), models each as cdk-failover's constructs do,
and prints the report (Markdown) to stdout.

  --rto <duration>   fail (exit 1) when a path's worst-case recovery time is longer, e.g. 5m, 90s, 1h
  --rpo <duration>   fail (exit 1) when a path's worst-case data loss is larger
  --out <directory>  also write failover-report.json and failover-report.md there

Exit codes: 0 every path meets the objectives given; 1 a path misses one; 2 a usage error, or a template given
by name (or every template) could not be read; 3 the command failed (a bug: please report it).`;

/** Where the command writes. */
export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Runs the command; returns its exit code. */
export function runCli(argv: string[], out: CliOutput): number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === undefined) {
    out.stdout(USAGE + '\n');
    return command === undefined ? 2 : 0;
  }
  if (command !== 'analyze') {
    out.stderr(`cdk-failover: unknown command ${JSON.stringify(command)}.\n\n${USAGE}\n`);
    return 2;
  }
  const parsed = parse(rest);
  if ('error' in parsed) {
    out.stderr(`cdk-failover analyze: ${parsed.error}\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return analyseAndReport(parsed, out);
  } catch (e) {
    // The analysis never throws on a template's content: this is a bug of the command, or the file system.
    out.stderr(`cdk-failover analyze: ${(e as Error).message}\n`);
    return 3;
  }
}

function analyseAndReport(parsed: Parsed, out: CliOutput): number {
  const analysis = analyse(parsed.inputs, { rto: parsed.rto, rpo: parsed.rpo });
  if (analysis.templates === 0) {
    // Nothing read is not a pass: a CI gate on a wrong path must fail.
    out.stderr(`cdk-failover analyze: no CloudFormation template could be read:\n${analysis.unread.map((u) => `  ${u.file}: ${u.reason}`).join('\n')}\n`);
    return 2;
  }
  const { json, markdown } = renderAnalysis(analysis);
  out.stdout(markdown);
  if (parsed.out !== undefined && fs.existsSync(parsed.out) && !fs.statSync(parsed.out).isDirectory()) {
    out.stderr(`cdk-failover analyze: --out ${parsed.out} is a file, not a directory\n`);
    return 2;
  }
  if (parsed.out !== undefined) {
    fs.mkdirSync(parsed.out, { recursive: true });
    fs.writeFileSync(path.join(parsed.out, 'failover-report.json'), json);
    fs.writeFileSync(path.join(parsed.out, 'failover-report.md'), markdown);
  }
  const missed = analysis.report.paths.flatMap((p) => p.check.messages);
  missed.forEach((m) => out.stderr(`MISSED ${m}\n`));
  const named = analysis.unread.filter((u) => u.named);
  if (named.length > 0) {
    // A template given by name and not read is not a pass, even when the others meet the objectives.
    out.stderr(`cdk-failover analyze: could not read:\n${named.map((u) => `  ${u.file}: ${u.reason}`).join('\n')}\n`);
    return 2;
  }
  return analysis.met ? 0 : 1;
}

interface Parsed {
  readonly inputs: string[];
  readonly rto?: number;
  readonly rpo?: number;
  readonly out?: string;
}

function parse(args: string[]): Parsed | { error: string } {
  const inputs: string[] = [];
  const options: { rto?: number; rpo?: number; out?: string } = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--rto' || a === '--rpo') {
      const seconds = duration(args[i + 1]);
      if (seconds === undefined) {
        return { error: `${a} needs a duration such as 90s, 5m or 1h, got: ${JSON.stringify(args[i + 1] ?? '')}` };
      }
      options[a === '--rto' ? 'rto' : 'rpo'] = seconds;
      i++;
    } else if (a === '--out') {
      if (args[i + 1] === undefined || args[i + 1].startsWith('--')) {
        return { error: '--out needs a directory' };
      }
      options.out = args[++i];
    } else if (a.startsWith('--')) {
      return { error: `unknown option ${a}` };
    } else {
      inputs.push(a);
    }
  }
  if (inputs.length === 0) {
    return { error: 'give a cloud assembly directory (cdk.out) or template files' };
  }
  return { inputs, ...options };
}

/** `90s`, `5m`, `1h`, or a number of seconds; undefined otherwise. */
function duration(text: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text ?? '');
  if (!m) {
    return undefined;
  }
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[(m[2] ?? 's') as 's' | 'm' | 'h'];
}
