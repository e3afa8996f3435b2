/**
 * The phases of a recovery path.
 */
export enum RecoveryTermKind {
  /** From the failure to the failure being known (health checks, alarms). */
  DETECTION = 'detection',
  /** From the failure being known to the decision to fail over (automatic or human). */
  DECISION = 'decision',
  /** From the decision to the new target being served (a DNS answer, a routing control). */
  SWITCH = 'switch',
  /** Caches between the switch and the clients (resolver TTLs). */
  PROPAGATION = 'propagation',
  /** Caching inside the clients beyond the record TTL. */
  CLIENT_CACHE = 'clientCache',
  /** Data written before the failure that the recovery side does not have (RPO). */
  DATA_LOSS = 'dataLoss',
}
