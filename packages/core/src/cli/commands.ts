/** Every `loreforge` command (except `relay …`, which the root dispatcher routes to apps/sync-server). */
import type { CliCommand } from './registry';
import { rulesCommands } from './rules';
import { campaignCommands } from './campaign';
import { characterCommands } from './character';
import { createCommands } from './create';
import { historyCommands } from './history';
import { itemCommands } from './item';
import { journalCommands } from './journal';
import { entityCommands } from './entity';
import { graphCommands } from './graph';
import { searchCommands } from './search';
import { consolidateCommands } from './consolidate';
import { syncCommands } from './sync';
import { encounterCommands } from './encounter';
import { combatCommands } from './combat';
import { campaignGenCommands } from './campaign-gen';
import { nemesisCommands } from './nemesis';
import { prepCommands } from './prep';
import { adaptCommands } from './adapt';

export const commands: CliCommand[] = [
  ...rulesCommands,
  ...characterCommands,
  ...historyCommands,
  ...itemCommands,
  ...campaignCommands,
  ...journalCommands,
  ...entityCommands,
  ...graphCommands,
  ...searchCommands,
  ...consolidateCommands,
  ...createCommands,
  ...syncCommands,
  ...encounterCommands,
  ...combatCommands,
  ...campaignGenCommands,
  ...nemesisCommands,
  ...prepCommands,
  ...adaptCommands,
];
