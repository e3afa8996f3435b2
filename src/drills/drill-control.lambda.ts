import { CONTROL_ACTIONS, CONTROL_INVALID, plan, Plan, PlanEvent, summarize, Summary, SummarizeEvent } from './drill-control';

/** The drill's control function: `plan` before the lock, `summarize` at the end (drill-control.ts). */
export async function handler(event: PlanEvent | SummarizeEvent): Promise<Plan | Summary> {
  switch (event?.action) {
    case CONTROL_ACTIONS.plan:
      return plan(event);
    case CONTROL_ACTIONS.summarize:
      return summarize(event);
    default: {
      const e = new Error(`Invalid drill control event: unknown action ${JSON.stringify((event as { action?: unknown })?.action)}.`);
      e.name = CONTROL_INVALID;
      throw e;
    }
  }
}
