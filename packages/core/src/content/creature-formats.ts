/**
 * Creature JSON formats the CLI reads, converted into Loreforge's `Creature` stat block by rules-5e:
 * - `loreforge`: already our shape (validated by the caller with CreatureSchema);
 * - `dnd5eapi`: 5e-bits/5e-database and dnd5eapi.co monsters → `fromDnd5eApiMonster`;
 * - `open5e`: an Open5e v2 API creature with its nested actions and attacks → `fromOpen5eCreature` (the same
 *   mapping the SRD importer uses for all 331 SRD creatures).
 * This wrapper only turns a converter's `CreatureFormatError` into a CliError naming the field.
 */
import { CreatureFormatError, fromDnd5eApiMonster, fromOpen5eCreature } from '@loreforge/rules-5e';
import { CliError } from '../cli/registry';

export const CREATURE_FORMATS = ['loreforge', 'dnd5eapi', 'open5e'] as const;
export type CreatureFormat = (typeof CREATURE_FORMATS)[number];

/**
 * Convert one creature in `format` into the Loreforge shape (still to be validated with CreatureSchema).
 * `what` prefixes field names in errors: `creature[2].ability_scores.strength: must be a number`.
 */
export function convertCreature(raw: unknown, format: CreatureFormat, what = 'creature'): unknown {
  try {
    switch (format) {
      case 'loreforge':
        return raw;
      case 'dnd5eapi':
        return fromDnd5eApiMonster(raw);
      case 'open5e':
        return fromOpen5eCreature(raw);
    }
  } catch (err) {
    if (err instanceof CreatureFormatError)
      throw new CliError(`${err.field ? `${what}.${err.field}` : what}: ${err.reason}`);
    throw err;
  }
}
