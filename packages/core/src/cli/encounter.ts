/** `loreforge encounter build|list`: prepared encounters from the real party (DM-only, in the campaign's dmnotes). */
import { createPlay } from '../play/service';
import { requireOption, stringOption } from './args';
import { CliError, type CliCommand, type CliIo, type OptionValues } from './registry';
import { output, outputList, storeOptions, withCore } from './store-cli';

export function listOption(values: OptionValues, name: string): string[] | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new CliError(`--${name}: give at least one id (comma-separated)`);
  return items;
}

export function seedOption(values: OptionValues): number | undefined {
  const raw = stringOption(values, 'seed');
  if (raw === undefined) return undefined;
  if (!/^-?\d{1,10}$/.test(raw)) throw new CliError(`--seed: "${raw}" is not a whole number`);
  return Number(raw);
}

export const playAuthor = (io: CliIo): string => io.env['LOREFORGE_AUTHOR'] ?? io.env['USER'] ?? 'cli';

export const encounterCommands: CliCommand[] = [
  {
    path: ['encounter', 'build'],
    summary:
      'Build an encounter for the party (levels from their sheets) → { id, creatures: [{ srd, name, cr, count }], xp, budget, difficulty } (saved DM-only).',
    usage:
      '--campaign C --party ID,ID,… --difficulty low|moderate|high (2014: easy|medium|hard|deadly) [--ruleset 2024|2014] [--creatures ID,…] [--theme T] [--name N] [--seed N] [--data-dir DIR] [--json]',
    options: {
      ...storeOptions,
      campaign: { type: 'string' },
      party: { type: 'string' },
      difficulty: { type: 'string' },
      ruleset: { type: 'string' },
      creatures: { type: 'string' },
      theme: { type: 'string' },
      name: { type: 'string' },
      seed: { type: 'string' },
    },
    async run({ values, io }) {
      const campaign = requireOption(values, 'campaign');
      const party = listOption(values, 'party');
      if (!party) throw new CliError('--party: missing (comma-separated character ids)');
      const difficulty = requireOption(values, 'difficulty');
      const ruleset = stringOption(values, 'ruleset') ?? '2024';
      if (ruleset !== '2024' && ruleset !== '2014')
        throw new CliError(`--ruleset: "${ruleset}" must be 2024 or 2014`);
      const creatures = listOption(values, 'creatures');
      const theme = stringOption(values, 'theme');
      const name = stringOption(values, 'name');
      const seed = seedOption(values);
      return withCore(values, io, async (core) => {
        const play = createPlay(core, { author: playAuthor(io) });
        const e = await play.encounters.build({
          campaign,
          party,
          difficulty,
          ruleset,
          ...(creatures ? { creatures } : {}),
          ...(theme !== undefined ? { theme } : {}),
          ...(name !== undefined ? { name } : {}),
          ...(seed !== undefined ? { seed } : {}),
        });
        const json = {
          id: e.id,
          name: e.name,
          creatures: e.creatures.map((c) => ({
            srd: c.srd,
            name: c.name,
            cr: c.cr,
            count: c.count,
            role: c.role,
          })),
          xp: e.xp,
          ...(e.adjustedXp !== undefined ? { adjustedXp: e.adjustedXp } : {}),
          budget: e.budget,
          difficulty: e.difficulty,
          ruleset: e.ruleset,
          rated: e.rated,
          party: e.party,
        };
        const human = [
          `${e.name} (${e.id})`,
          ...e.creatures.map((c) => `  ${c.count} × ${c.name} (CR ${c.cr}, ${c.role})`),
          `XP ${e.xp}${e.adjustedXp !== undefined ? ` (adjusted ${e.adjustedXp})` : ''}; budget ${Object.entries(
            e.budget,
          )
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`,
          `difficulty: 2024 ${e.rated['2024']}, 2014 ${e.rated['2014']}`,
        ].join('\n');
        return output(io, values, json, human);
      });
    },
  },
  {
    path: ['encounter', 'list'],
    summary: 'Prepared encounters of a campaign (DM only) → [{ id, name, difficulty, creatures, xp }].',
    usage: '--campaign C [--data-dir DIR] [--json]',
    options: { ...storeOptions, campaign: { type: 'string' } },
    async run({ values, io }) {
      const campaign = requireOption(values, 'campaign');
      return withCore(values, io, async (core) => {
        const list = await createPlay(core, { author: playAuthor(io) }).encounters.list(campaign);
        const rows = list.map((e) => ({
          id: e.id,
          name: e.name,
          difficulty: e.difficulty,
          ruleset: e.ruleset,
          xp: e.xp,
          creatures: e.creatures.map((c) => ({ srd: c.srd, name: c.name, cr: c.cr, count: c.count })),
        }));
        return outputList(
          io,
          values,
          rows,
          (r) =>
            `${r.id}  ${r.name}  ${r.xp} XP  ${r.creatures.map((c) => `${c.count}×${c.name}`).join(', ')}`,
          'no prepared encounters',
        );
      });
    },
  },
];
