import type { MultiSiteRouting } from '../../routing/multi-site-routing';
import type { BackupAndRestoreOptions } from '../recovery-strategy';

/** The options of every strategy, as the construct reads them. */
export interface StrategyOptions {
  readonly standbyCapacity?: number;
  readonly routing?: MultiSiteRouting;
  readonly backup?: BackupAndRestoreOptions;
}
