/** `loreforge relate` and `loreforge graph neighbors|path|central|communities`: the relationship graph. */
import { requireOption, stringOption } from './args';
import { sessionNumber } from './entity';
import { CliError, type CliCommand, type OptionValues } from './registry';
import { output, outputList, positional, short, storeOptions, withCore } from './store-cli';

function intOption(values: OptionValues, name: string, min: number, max: number): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  if (!/^-?\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw new CliError(`--${name}: "${raw}" is not a whole number from ${min} to ${max}`);
  return Number(raw);
}

const atOption = { at: { type: 'string' } } as const;
const atSession = (values: OptionValues) => {
  const s = sessionNumber(stringOption(values, 'at'), '--at');
  return s !== undefined ? { session: s } : {};
};

export const graphCommands: CliCommand[] = [
  {
    path: ['relate'],
    summary:
      'Relate two entities (typed, weighted by attitude, valid between sessions; kept in the DM notes) → { id, from, to, type, … }.',
    usage:
      '<A> <B> --type ally|enemy|member-of|serves|located-in|family|rival|… [--attitude -100..100] [--since S] [--until S] [--data-dir DIR] [--json]',
    options: {
      ...storeOptions,
      type: { type: 'string' },
      attitude: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
    },
    async run({ positionals, values, io }) {
      const from = positional(positionals, 0, 'A');
      const to = positional(positionals, 1, 'B');
      const type = requireOption(values, 'type');
      if (!/^[a-z][a-z0-9-]{0,39}$/.test(type))
        throw new CliError(`--type: "${type}" must be a lower-case slug (a-z, 0-9, -), e.g. ally, member-of`);
      const attitude = intOption(values, 'attitude', -100, 100);
      const since = sessionNumber(stringOption(values, 'since'), '--since');
      const until = sessionNumber(stringOption(values, 'until'), '--until');
      if (since !== undefined && until !== undefined && since > until)
        throw new CliError(`--until: session ${until} is before --since ${since}`);
      return withCore(values, io, async (core) => {
        const r = await core.memory.graph.relate({
          from,
          to,
          type,
          ...(attitude !== undefined ? { attitude } : {}),
          ...(since !== undefined ? { since } : {}),
          ...(until !== undefined ? { until } : {}),
        });
        return output(io, values, r, `${short(from)} ${type} ${short(to)} (relation ${r.id})`);
      });
    },
  },
  {
    path: ['graph', 'neighbors'],
    summary: 'Entities linked to one, to a depth → [{ id, name, kind, relation, weight, depth, via }].',
    usage: '<id> [--depth N] [--at SESSION] [--data-dir DIR] [--json]',
    options: { ...storeOptions, depth: { type: 'string' }, ...atOption },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const depth = intOption(values, 'depth', 1, 6) ?? 1;
      return withCore(values, io, async (core) => {
        const rows = await core.memory.graph.neighbors(id, { depth, ...atSession(values) });
        return outputList(
          io,
          values,
          rows,
          (r) =>
            `${'  '.repeat(r.depth - 1)}${r.name} (${r.kind ?? '?'}) — ${r.relation}, weight ${r.weight}`,
          'no neighbours',
        );
      });
    },
  },
  {
    path: ['graph', 'path'],
    summary:
      'How two entities are connected: the shortest chain → [{ id, name, relation? }] (A first, B last).',
    usage: '<A> <B> [--at SESSION] [--data-dir DIR] [--json]',
    options: { ...storeOptions, ...atOption },
    async run({ positionals, values, io }) {
      const a = positional(positionals, 0, 'A');
      const b = positional(positionals, 1, 'B');
      return withCore(values, io, async (core) => {
        const path = await core.memory.graph.path(a, b, atSession(values));
        const human = path.map((p, i) => (i === 0 ? p.name : `  —${p.relation}→ ${p.name}`)).join('\n');
        return output(io, values, path, human);
      });
    },
  },
  {
    path: ['graph', 'central'],
    summary: 'Who matters most (PageRank over relations and co-mentions) → [{ id, name, kind, score }].',
    usage: '--campaign C [--top N] [--at SESSION] [--data-dir DIR] [--json]',
    options: { ...storeOptions, campaign: { type: 'string' }, top: { type: 'string' }, ...atOption },
    async run({ values, io }) {
      const campaign = requireOption(values, 'campaign');
      const top = intOption(values, 'top', 1, 1000) ?? 10;
      return withCore(values, io, async (core) => {
        const rows = await core.memory.graph.central(campaign, { top, ...atSession(values) });
        return outputList(
          io,
          values,
          rows,
          (r) => `${r.score.toFixed(4)}  ${r.name} (${r.kind ?? '?'})`,
          'no links yet',
        );
      });
    },
  },
  {
    path: ['graph', 'communities'],
    summary: 'Groups the graph forms (Louvain) → [{ community, size, members: [{ id, name, kind }] }].',
    usage: '--campaign C [--at SESSION] [--data-dir DIR] [--json]',
    options: { ...storeOptions, campaign: { type: 'string' }, ...atOption },
    async run({ values, io }) {
      const campaign = requireOption(values, 'campaign');
      return withCore(values, io, async (core) => {
        const rows = await core.memory.graph.communities(campaign, atSession(values));
        return outputList(
          io,
          values,
          rows,
          (c) => `${c.community}. ${c.members.map((m) => m.name).join(', ')}`,
          'no links yet',
        );
      });
    },
  },
];
