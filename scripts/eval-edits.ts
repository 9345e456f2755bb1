/**
 * Refine, retheme and squad checks for `pnpm eval` (issue 12 measures), through the whole pipeline with the
 * offline provider and an in-memory store: each check is a request a DM would make and what must come out.
 */
import {
  createCore,
  createPipeline,
  createPipelineRouter,
  type CharacterPipeline,
  matchTheme,
  type Core,
} from '@loreforge/core';
import type { Content } from '@loreforge/rules-5e';

export interface EditCheck {
  readonly area: 'refine' | 'retheme' | 'squad';
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

type Run = (
  p: CharacterPipeline,
  core: Core,
  content: Content,
) => Promise<{ passed: boolean; detail: string }>;

const words = (text: string) => text.toLowerCase().split(/[^a-z]+/);

const REFINES: readonly { name: string; run: Run }[] = [
  {
    name: 'more stealthy, less tanky',
    run: async (p) => {
      const r = await p.createDraft({ concept: 'a veteran sellsword', level: 4, seed: 1 });
      const x = await p.refine(r.id as string, 'more stealthy, less tanky');
      const b = r.build?.abilityScores;
      const a = x.build?.abilityScores;
      const passed = (a?.dex ?? 0) > (b?.dex ?? 0) && (a?.con ?? 99) < (b?.con ?? 0) && x.validation.valid;
      return { passed, detail: `dex ${b?.dex}→${a?.dex}, con ${b?.con}→${a?.con}` };
    },
  },
  {
    name: 'swap a weapon: the new one is equipped',
    run: async (p) => {
      const r = await p.createDraft({ concept: 'a guard with a spear', level: 2, seed: 2 });
      const x = await p.refine(r.id as string, 'swap the spear for a warhammer');
      const e = x.build?.equipment.find((i) => i.item === 'warhammer');
      return { passed: e?.equipped === true, detail: JSON.stringify(e ?? null) };
    },
  },
  {
    name: 'add a longbow: carried and equipped',
    run: async (p) => {
      const r = await p.createDraft({ concept: 'a village priest', level: 2, seed: 3 });
      const x = await p.refine(r.id as string, 'add a longbow');
      const e = x.build?.equipment.find((i) => i.item === 'longbow');
      return { passed: e?.equipped === true, detail: JSON.stringify(e ?? null) };
    },
  },
  {
    name: 'make her a healer',
    run: async (p) => {
      const r = await p.createDraft({ concept: 'a gladiator who won her freedom', level: 5, seed: 1 });
      const x = await p.refine(r.id as string, 'make her a healer');
      const cls = x.build?.classes[0]?.class;
      return { passed: cls === 'cleric' && x.build?.name === r.build?.name, detail: `class ${cls}` };
    },
  },
  {
    name: 'make him an elf',
    run: async (p) => {
      const r = await p.createDraft({ concept: 'a prince who ran away from his throne', level: 3, seed: 4 });
      const x = await p.refine(r.id as string, 'make him an elf');
      return {
        passed: x.build?.species === 'elf' && x.validation.valid,
        detail: `species ${x.build?.species}`,
      };
    },
  },
  {
    name: 'rename: carried into every text',
    run: async (p, core) => {
      const r = await p.createDraft({ concept: 'a village priest who tends the sick', level: 3, seed: 5 });
      const old = r.build?.name ?? '';
      await p.refine(r.id as string, 'rename to Hesper Vane');
      const doc = (await core.characters.show(r.id as string)).doc;
      const text = JSON.stringify({ ...doc.narrative, lore: undefined });
      return {
        passed: text.includes('Hesper') && !text.includes(old.split(' ')[0] ?? old),
        detail: `old ${old}`,
      };
    },
  },
  {
    name: 'older',
    run: async (p, core) => {
      const r = await p.createDraft({ concept: 'a young squire', level: 1, seed: 6 });
      await p.refine(r.id as string, 'make him older');
      const doc = (await core.characters.show(r.id as string)).doc;
      return { passed: /^Grey-haired/.test(doc.narrative.appearance), detail: doc.narrative.appearance };
    },
  },
  {
    name: 'unknown request: says what it did not understand',
    run: async (p) => {
      const r = await p.createDraft({ concept: 'a wandering minstrel', level: 2, seed: 7 });
      try {
        await p.refine(r.id as string, 'write her a sonnet');
        return { passed: false, detail: 'accepted' };
      } catch (err) {
        const m = (err as Error).message;
        return { passed: /did not understand "write her a sonnet"/.test(m), detail: m.slice(0, 80) };
      }
    },
  },
];

const RETHEMES: readonly { concept: string; theme: string; pronoun: 'he' | 'she' | 'they' }[] = [
  { concept: 'a gladiator who won her freedom', theme: 'space opera', pronoun: 'she' },
  { concept: 'a prince who ran away from his throne', theme: 'cyberpunk', pronoun: 'he' },
  { concept: 'a wandering alchemist', theme: 'steampunk', pronoun: 'they' },
  { concept: 'a dwarven miner from the deep mines', theme: 'victorian gothic', pronoun: 'they' },
];

const PRONOUN_WORDS = { he: ['he', 'his', 'him'], she: ['she', 'her'], they: ['they', 'their', 'them'] };

export async function runEditChecks(content: Content): Promise<EditCheck[]> {
  const core = await createCore({ dataDir: null });
  const out: EditCheck[] = [];
  try {
    const { router } = await createPipelineRouter(content, { provider: 'offline' });
    const p = createPipeline(core, { llm: router, content });
    for (const c of REFINES) {
      try {
        const r = await c.run(p, core, content);
        out.push({ area: 'refine', name: c.name, ...r });
      } catch (err) {
        out.push({
          area: 'refine',
          name: c.name,
          passed: false,
          detail: (err as Error).message.slice(0, 120),
        });
      }
    }
    for (const [i, c] of RETHEMES.entries()) {
      const r = await p.createDraft({ concept: c.concept, level: 3, seed: 10 + i });
      const oldName = r.build?.name ?? '';
      const themed = await p.retheme(r.id as string, c.theme);
      const doc = (await core.characters.show(r.id as string)).doc;
      const text = JSON.stringify({ ...doc.narrative, lore: undefined, theme: undefined });
      const newName = themed.build?.name ?? '';
      const ws = words(`${doc.narrative.backstory} ${doc.narrative.appearance}`);
      const own = ws.filter((w) => PRONOUN_WORDS[c.pronoun].includes(w)).length;
      const others = (['he', 'she', 'they'] as const)
        .filter((x) => x !== c.pronoun)
        .map((x) => ws.filter((w) => PRONOUN_WORDS[x].includes(w)).length);
      const sameMechanics =
        JSON.stringify({ ...themed.build, name: '' }) === JSON.stringify({ ...r.build, name: '' });
      const problems = [
        newName === oldName ? 'name unchanged' : '',
        doc.narrative.backstory.includes(newName) ? '' : 'new name missing from the backstory',
        text.includes(oldName.split(' ')[0] ?? oldName) ? 'old name still in a text' : '',
        own > 0 && others.every((o) => o < own) ? '' : 'pronouns changed',
        sameMechanics ? '' : 'mechanics changed',
        ws.some((w) => c.theme.split(' ').includes(w)) ||
        (matchTheme(c.theme)?.places ?? []).some((pl) => doc.narrative.backstory.includes(pl))
          ? ''
          : 'neither the theme’s words nor its places in the story',
      ].filter(Boolean);
      out.push({
        area: 'retheme',
        name: `${c.concept} → ${c.theme}`,
        passed: problems.length === 0,
        detail: problems.join('; ') || `${oldName} → ${newName}`,
      });
    }
    for (const [i, role] of ['bandit', 'cult fanatic', 'town guard'].entries()) {
      const a = await p.bulkCreate({
        role,
        count: 5,
        partyLevels: [4, 4, 4, 4],
        seed: 1 + i * 10,
        save: false,
      });
      const b = await p.bulkCreate({
        role,
        count: 5,
        partyLevels: [4, 4, 4, 4],
        seed: 2 + i * 10,
        save: false,
      });
      const names = new Set(a.members.map((m) => m.build?.name)).size;
      const species = new Set(a.members.map((m) => m.build?.species)).size;
      const classes = new Set(a.members.map((m) => m.build?.classes[0]?.class)).size;
      const stories = new Set(a.members.map((m) => m.narrative.backstory)).size;
      const roles = a.members.map((m) => m.squadRole).join(',');
      const leader = a.members.find((m) => m.squadRole === 'leader')?.challenge?.cr ?? 0;
      const minion = Math.max(
        ...a.members.filter((m) => m.squadRole !== 'leader').map((m) => m.challenge?.cr ?? 0),
      );
      const adjacentDiffer =
        JSON.stringify(a.members.map((m) => m.build?.name)) !==
        JSON.stringify(b.members.map((m) => m.build?.name));
      const passed =
        names === 5 &&
        stories === 5 &&
        species >= 2 &&
        classes >= 3 &&
        roles === 'leader,brute,skirmisher,caster,brute' &&
        leader >= minion &&
        adjacentDiffer;
      out.push({
        area: 'squad',
        name: `${role} ×5`,
        passed,
        detail: `${names} names, ${species} species, ${classes} classes, ${stories} stories, leader CR ${leader} vs minions ≤ ${minion}, adjacent seeds differ: ${adjacentDiffer}`,
      });
    }
  } finally {
    await core.close();
  }
  return out;
}

export function formatEditChecks(checks: readonly EditCheck[]): string {
  const lines = ['| area | check | passed | detail |', '|---|---|---|---|'];
  for (const c of checks) lines.push(`| ${c.area} | ${c.name} | ${c.passed ? 'yes' : 'NO'} | ${c.detail} |`);
  lines.push('');
  for (const area of ['refine', 'retheme', 'squad'] as const) {
    const mine = checks.filter((c) => c.area === area);
    lines.push(`${area}: ${mine.filter((c) => c.passed).length}/${mine.length} checks pass`);
  }
  return `${lines.join('\n')}\n`;
}
