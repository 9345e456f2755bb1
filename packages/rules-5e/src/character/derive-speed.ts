/**
 * Walking speed: the highest `speed-base` effect (species trait, lineage such as Wood Elf) or the species speed, plus `speed-bonus` effects whose condition holds
 * (Monk Unarmored Movement: no armor and no shield; Barbarian Fast Movement: no heavy armor), minus 10 in heavy
 * armor whose Strength requirement is not met. A bonus with a `column` follows that class table column (Monk
 * `unarmored-movement`), so it grows with level.
 */
import type { CharacterContext } from './context';
import { effectsOf } from './context';
import { explain, part, type Explained, type Part } from './explained';

const HEAVY_ARMOR_PENALTY = -10;

function wornArmor(ctx: CharacterContext): {
  body: boolean;
  shield: boolean;
  heavyStr: number | null;
  heavy: boolean;
} {
  const worn = ctx.items.filter((ri) => ri.armor && ri.entry.equipped === true);
  const body = worn.filter((ri) => ri.armor?.armorType !== 'shield');
  const heavy = body.filter((ri) => ri.armor?.armorType === 'heavy');
  const heavyStr = heavy.reduce<number | null>(
    (max, ri) => Math.max(max ?? 0, ri.armor?.strength ?? 0),
    null,
  );
  return { body: body.length > 0, shield: worn.length > body.length, heavy: heavy.length > 0, heavyStr };
}

function numberFrom(value: number | string | undefined): number | undefined {
  if (typeof value === 'number') return value;
  const match = typeof value === 'string' ? /-?\d+/.exec(value) : null;
  return match ? Number(match[0]) : undefined;
}

/** The class-table column value for a feature's speed bonus (the effect's `column`). */
function columnBonus(ctx: CharacterContext, source: string, column: string | undefined): number | undefined {
  if (column === undefined) return undefined;
  const rc = ctx.classes.find((c) => c.featureIds.has(source));
  return numberFrom(rc?.row?.columns[column]);
}

export function deriveSpeed(ctx: CharacterContext): Explained {
  const bases = effectsOf(ctx, 'speed-base');
  const base = bases.reduce<(typeof bases)[number] | undefined>(
    (best, b) => (!best || b.effect.value > best.effect.value ? b : best),
    undefined,
  );
  const parts: Part[] = [
    base ? part(base.source, base.effect.value) : part(ctx.species?.id ?? 'base', ctx.species?.speed ?? 30),
  ];
  const armor = wornArmor(ctx);
  for (const { source, effect } of effectsOf(ctx, 'speed-bonus')) {
    if (effect.condition === 'unarmored' && (armor.body || armor.shield)) continue;
    if (effect.condition === 'no-heavy-armor' && armor.heavy) continue;
    parts.push(part(source, columnBonus(ctx, source, effect.column) ?? effect.value));
  }
  if (armor.heavyStr !== null && ctx.build.abilityScores.str < armor.heavyStr) {
    parts.push(part('heavy-armor-strength', HEAVY_ARMOR_PENALTY));
  }
  return explain(parts);
}
