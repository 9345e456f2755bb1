/** The known migration lists, in order. Append only; never edit or reorder a released migration. */
import type { SqlMigration } from '../migrate';
import { migration as campaign0001 } from './campaign/0001_init';
import { migration as campaign0002 } from './campaign/0002_live_history';
import { migration as library0001 } from './library/0001_init';
import { migration as library0002 } from './library/0002_memberships';

export const LIBRARY_MIGRATIONS: readonly SqlMigration[] = [library0001, library0002];
export const CAMPAIGN_MIGRATIONS: readonly SqlMigration[] = [campaign0001, campaign0002];
