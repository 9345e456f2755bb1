/**
 * Adapter to live play: the outline's encounters become prepared encounters of the campaign (the same record
 * `encounter build` writes: DM notes `play.encounters`, plus the campaign's encounter entry with the party as
 * participants, as `campaigns.addEncounter` writes it), so `combat start --encounter ID` runs a generated fight.
 * All written in one DM-notes edit (`encounterRecords` gives that edit, so generation folds it into its own).
 */
import { randomUUID } from 'node:crypto';
import { xpForCr } from '@loreforge/rules-5e';
import type { JsonObject } from '../docs/y-json';
import { budgetWindow, rateBothWays } from '../play/encounter';
import { PlayNotesSchema, type PreparedEncounter } from '../play/schema';
import type { CampaignGen } from './schema';

/**
 * The live-play records for the outline's encounters not registered yet (each gets its `play` id): returns the
 * DM-notes edit that adds them (the campaign's encounter entries and the prepared records), or null when there
 * is nothing to add. Pure until the edit runs, so the caller can fold it into another edit of the notes.
 */
export function encounterRecords(gen: CampaignGen, now: number): ((json: JsonObject) => JsonObject) | null {
  const levels = gen.party.map((p) => p.level);
  const prepared: Record<string, PreparedEncounter> = {};
  const entries: Record<string, { name: string; participants: string[] }> = {};
  for (const ch of gen.chapters) {
    for (const e of ch.encounters) {
      if (e.play) continue;
      const name = `${ch.id}: ${e.name}`;
      const id = randomUUID();
      entries[id] = { name, participants: gen.party.map((p) => p.id) };
      const crs = e.creatures.flatMap((c) => Array<number>(c.count).fill(c.cr));
      const { r2024, r2014 } = rateBothWays(levels, crs);
      prepared[id] = {
        id,
        name,
        ruleset: '2024',
        party: gen.party.map((p) => ({ id: p.id, name: p.name, level: Math.min(20, Math.max(1, p.level)) })),
        difficulty: e.difficulty,
        creatures: e.creatures.map((c) => ({
          srd: c.srd,
          name: c.name,
          cr: c.cr,
          xp: xpForCr(c.cr),
          count: c.count,
          role: (['leader', 'minion', 'solo', 'member'] as const).find((r) => r === c.role) ?? 'member',
          campaign: false,
        })),
        xp: r2024.xp,
        budget: budgetWindow(levels, '2024', e.difficulty).budget,
        rated: { '2024': r2024.difficulty, '2014': r2014.difficulty },
        theme: gen.theme,
        createdAt: now,
      };
      e.play = id;
    }
  }
  if (!Object.keys(prepared).length) return null;
  // The campaign's encounter entries (what `campaigns.addEncounter` writes) and the prepared records, together.
  return (json) => {
    const play = PlayNotesSchema.parse(json['play'] ?? {});
    const next = { ...play, encounters: { ...play.encounters, ...prepared } };
    return {
      ...json,
      encounters: {
        ...((json['encounters'] ?? {}) as JsonObject),
        ...(entries as unknown as JsonObject),
      },
      play: next as unknown as JsonObject,
    };
  };
}
