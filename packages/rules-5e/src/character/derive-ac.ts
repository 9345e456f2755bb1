/**
 * Armor Class: the best of the formulas the character qualifies for (worn armor, plain unarmored 10 + Dex,
 * Unarmored Defense, natural armor), plus a shield where the formula allows it, plus flat bonuses.
 */
import type { CharacterContext, ResolvedItem } from './context';
import { effectsOf } from './context';
import { explain, part, type Explained, type Part } from './explained';

interface Candidate {
  readonly parts: Part[];
  readonly allowShield: boolean;
  readonly armored: boolean;
}

function equipped(ctx: CharacterContext): { body: ResolvedItem[]; shields: ResolvedItem[] } {
  const worn = ctx.items.filter((ri) => ri.armor && ri.entry.equipped === true);
  return {
    body: worn.filter((ri) => ri.armor?.armorType !== 'shield'),
    shields: worn.filter((ri) => ri.armor?.armorType === 'shield'),
  };
}

function magicPart(ri: ResolvedItem): Part[] {
  const bonus = ri.magic?.bonuses.ac;
  return bonus ? [part(`${ri.item.id}:magic`, bonus)] : [];
}

function armorCandidate(ctx: CharacterContext, ri: ResolvedItem): Candidate {
  const armor = ri.armor;
  const base = armor?.ac ?? 10;
  let dex = ctx.mods.dex;
  if (armor?.armorType === 'heavy') dex = 0;
  else if (armor?.dexCap !== null && armor?.dexCap !== undefined) dex = Math.min(dex, armor.dexCap);
  const parts = [
    part(ri.item.id, base),
    ...(armor?.armorType === 'heavy' ? [] : [part('dex', dex)]),
    ...magicPart(ri),
  ];
  return { parts, allowShield: true, armored: true };
}

function unarmoredCandidates(ctx: CharacterContext): Candidate[] {
  const dex = part('dex', ctx.mods.dex);
  const out: Candidate[] = [{ parts: [part('unarmored', 10), dex], allowShield: true, armored: false }];
  for (const { source, effect } of effectsOf(ctx, 'unarmored-defense')) {
    const extra = effect.abilities.filter((a) => a !== 'dex').map((a) => part(a, ctx.mods[a]));
    out.push({ parts: [part(source, 10), dex, ...extra], allowShield: effect.allowShield, armored: false });
  }
  for (const { source, effect } of effectsOf(ctx, 'natural-armor')) {
    out.push({ parts: [part(source, effect.base), dex], allowShield: true, armored: false });
  }
  return out;
}

function shieldParts(shield: ResolvedItem | undefined): Part[] {
  if (!shield?.armor) return [];
  return [part(shield.item.id, shield.armor.ac), ...magicPart(shield)];
}

function flatBonuses(ctx: CharacterContext, armored: boolean): Part[] {
  const parts: Part[] = [];
  for (const { source, effect } of effectsOf(ctx, 'ac-bonus')) {
    if (effect.condition === 'always' || armored) parts.push(part(source, effect.value));
  }
  for (const ri of ctx.items) {
    if (ri.entry.equipped === true && !ri.armor && ri.magic?.bonuses.ac)
      parts.push(part(ri.item.id, ri.magic.bonuses.ac));
  }
  return parts;
}

function total(parts: readonly Part[]): number {
  return parts.reduce((sum, p) => sum + p.value, 0);
}

export function deriveArmorClass(ctx: CharacterContext): Explained {
  const { body, shields } = equipped(ctx);
  const shield = shields[0];
  const candidates = body.length > 0 ? body.map((ri) => armorCandidate(ctx, ri)) : unarmoredCandidates(ctx);
  let best: Part[] | undefined;
  for (const c of candidates) {
    if (shield && !c.allowShield) continue;
    const parts = [...c.parts, ...shieldParts(shield), ...flatBonuses(ctx, c.armored)];
    if (!best || total(parts) > total(best)) best = parts;
  }
  return explain(best ?? [part('unarmored', 10), part('dex', ctx.mods.dex)]);
}
