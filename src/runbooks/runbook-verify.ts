/**
 * The verification from outside: GET a URL until a response has an expected status, and the
 * body marker and header marker if asked, or the attempts run out. Node's own http and https, no
 * other package. No Lambda types: the handler passes its deadline, tests a fast sleep.
 */
import * as http from 'http';
import * as https from 'https';
import { ERRORS, MAX_BODY_BYTES, VerifyHttpEvent, VerifyResult } from './runbook-contract';
import { describeError, runbookError } from './runbook-error';

/** What the verification needs from its caller. */
export interface VerifyDependencies {
  /** Waits between attempts. @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Epoch milliseconds after which no request starts (the Lambda's remaining time). */
  readonly deadline?: number;
}

interface Response {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `event.url`; returns the first matching response, or throws `VerificationFailed` with the last result. */
export async function verifyHttp(event: VerifyHttpEvent, deps: VerifyDependencies = {}): Promise<VerifyResult> {
  const url = checkVerifyEvent(event);
  const sleep = deps.sleep ?? realSleep;
  const timeoutMs = event.timeoutSeconds * 1000;
  const started = Date.now();
  let last = 'no request made';
  for (let attempt = 1; attempt <= event.attempts; attempt++) {
    if (attempt > 1) {
      await sleep(event.intervalSeconds * 1000);
    }
    const remaining = deps.deadline === undefined ? timeoutMs : Math.min(timeoutMs, deps.deadline - Date.now());
    if (remaining <= 0) {
      last += '; then the function ran out of time';
      break;
    }
    const response = await fetchOnce(url, remaining, event.bodyContains !== undefined);
    if ('error' in response) {
      last = `attempt ${attempt}: ${response.error}`;
      continue;
    }
    const mismatch = mismatchOf(event, response);
    if (mismatch === undefined) {
      return { ok: true, status: response.status, attempt, elapsedMs: Date.now() - started };
    }
    last = `attempt ${attempt}: status ${response.status}, ${mismatch}`;
  }
  throw runbookError(ERRORS.verificationFailed, `${event.url} did not verify in ${event.attempts} attempt(s); last: ${last}`);
}

/** Why a response does not match, or undefined when it does. */
function mismatchOf(event: VerifyHttpEvent, response: Response): string | undefined {
  const statusOk = event.expectStatus ? event.expectStatus.includes(response.status) : response.status >= 200 && response.status <= 399;
  if (!statusOk) {
    return `expected ${event.expectStatus ? event.expectStatus.join(' or ') : '200 to 399'}`;
  }
  if (event.bodyContains !== undefined && !response.body.includes(event.bodyContains)) {
    return `the body lacks ${JSON.stringify(event.bodyContains)}`;
  }
  if (event.header) {
    const raw = response.headers[event.header.name.toLowerCase()];
    const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    if (!values.some((v) => v.trim() === event.header!.value)) {
      return `header ${event.header.name} is ${values.length ? JSON.stringify(values.join(', ')) : 'absent'}, expected ${JSON.stringify(event.header.value)}`;
    }
  }
  return undefined;
}

/** One GET, resolved (never rejected) with the response or the error, within `timeoutMs` all told. */
function fetchOnce(url: URL, timeoutMs: number, readBody: boolean): Promise<Response | { error: string }> {
  return new Promise((resolve) => {
    let request: http.ClientRequest | undefined = undefined;
    let settled = false;
    const finish = (result: Response | { error: string }) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        request?.destroy();
        resolve(result);
      }
    };
    const timer = setTimeout(() => finish({ error: `no response within ${timeoutMs} ms` }), timeoutMs);
    const get = url.protocol === 'https:' ? https.get : http.get;
    // A fresh connection each time: a pooled one could reach the Region the switch moved away from.
    request = get(url, { agent: false, headers: { 'user-agent': 'cdk-failover-runbook-verify' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (!readBody) {
        finish({ status, headers: res.headers, body: '' });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => finish({ status, headers: res.headers, body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8') });
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= MAX_BODY_BYTES) {
          done();
        }
      });
      res.on('end', done);
      res.on('error', (e) => finish({ error: describeError(e) }));
    });
    request.on('error', (e) => finish({ error: describeError(e) }));
  });
}

function checkVerifyEvent(event: VerifyHttpEvent): URL {
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(event.url);
  } catch {
    problems.push(`url ${JSON.stringify(event.url)} is not a URL`);
  }
  if (url && url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`url ${JSON.stringify(event.url)} is not http or https`);
  }
  if (!Number.isInteger(event.attempts) || event.attempts < 1) {
    problems.push(`attempts must be a whole number of 1 or more, got ${event.attempts}`);
  }
  if (typeof event.intervalSeconds !== 'number' || !(event.intervalSeconds >= 0)) {
    problems.push(`intervalSeconds must be 0 or more, got ${event.intervalSeconds}`);
  }
  if (typeof event.timeoutSeconds !== 'number' || !(event.timeoutSeconds > 0)) {
    problems.push(`timeoutSeconds must be more than 0, got ${event.timeoutSeconds}`);
  }
  if (problems.length > 0) {
    throw runbookError(ERRORS.invalidEvent, `verifyHttp: ${problems.join('; ')}`);
  }
  return url!;
}
