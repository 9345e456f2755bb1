/** Every `loreforge` command (except `relay …`, which the root dispatcher routes to apps/sync-server). */
import type { CliCommand } from './registry';
import { rulesCommands } from './rules';

export const commands: CliCommand[] = [...rulesCommands];
