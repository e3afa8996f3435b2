/**
 * Errors the runbook handler throws. Lambda reports an error's `name` as its type, so the state
 * machine's Retry and Catch see the names of `ERRORS` (runbook-contract.ts).
 */
import { ERRORS } from './runbook-contract';

/** An Error whose name is one of `ERRORS`. */
export function runbookError(name: (typeof ERRORS)[keyof typeof ERRORS], message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** An error's name and message, for reports and messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    return `${error.name}: ${error.message}`;
  }
  return String(error);
}
