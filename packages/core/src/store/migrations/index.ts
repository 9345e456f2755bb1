/** The known migration lists, in order. Append only; never edit or reorder a released migration. */
import type { SqlMigration } from '../migrate';
import { migration as campaign0001 } from './campaign/0001_init';
import { migration as library0001 } from './library/0001_init';

export const LIBRARY_MIGRATIONS: readonly SqlMigration[] = [library0001];
export const CAMPAIGN_MIGRATIONS: readonly SqlMigration[] = [campaign0001];
