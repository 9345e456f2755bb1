/** Shared setup for the campaign-generation tests: an in-memory core with a real party of three sheets. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCampaignGen } from '../../src/campaign-gen';
import type { Core } from '../../src/index';
import { build, openCore } from '../helpers';
import type { memoryCli } from '../memory/cli-helper';

export async function partyCore(
  seed = 1,
): Promise<{ core: Core; gen: ReturnType<typeof createCampaignGen>; party: string[] }> {
  const core = await openCore(null, seed);
  const party: string[] = [];
  const a = await core.characters.import({
    build: build({ name: 'Aria Moonwhisper' }),
    narrative: { bonds: ['her mentor in the Silver Library'] },
  });
  party.push(a.id);
  const b = await core.characters.import({
    build: build({
      name: 'Borin Stonefist',
      classes: [{ class: 'fighter', level: 5 }],
      spells: [],
      feats: [],
      skills: ['athletics', 'perception'],
      equipment: [{ item: 'longsword', equipped: true }],
      abilityScores: { str: 16, dex: 12, con: 15, int: 8, wis: 13, cha: 10 },
    }),
    narrative: { bonds: ['his sister Hilda, a smith in the river town'] },
  });
  party.push(b.id);
  const c = await core.characters.import({
    build: build({
      name: 'Sel Quickstep',
      classes: [{ class: 'rogue', level: 5 }],
      spells: [],
      feats: [],
      skills: ['stealth', 'acrobatics', 'perception', 'deception'],
      equipment: [{ item: 'dagger', equipped: true }],
      abilityScores: { str: 8, dex: 17, con: 14, int: 12, wis: 12, cha: 13 },
    }),
  });
  party.push(c.id);
  return { core, gen: createCampaignGen(core), party };
}

/** Imports one player character per name through the CLI (`character import`); their ids, in order. */
export async function importPartyByCli(
  cli: ReturnType<typeof memoryCli>,
  names: string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, name] of names.entries()) {
    const file = join(cli.dataDir, '..', `pc${i}.json`);
    writeFileSync(file, JSON.stringify(build({ name })));
    ids.push((await cli.j<{ id: string }>(['character', 'import', file])).id);
  }
  return ids;
}
