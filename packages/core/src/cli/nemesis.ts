/** `loreforge nemesis show|evolve` (issue 13): the party's mirror and its tiers; evolution after a session. */
import { createCampaignGen } from '../campaign-gen/service';
import { campaignSessionOptions, campaignSession } from './adapt';
import type { CliCommand } from './registry';
import { output, positional, storeOptions, withCore } from './store-cli';

export const nemesisCommands: CliCommand[] = [
  {
    path: ['nemesis', 'show'],
    summary:
      'The nemesis of a generated campaign (campaign id or a foe id): answers, threatened bonds, tactics, tiers with CR (rules estimate).',
    usage: '<id> [--data-dir DIR] [--json]',
    options: { ...storeOptions },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      return withCore(values, io, async (core) => {
        const n = await createCampaignGen(core).nemesisShow(id);
        const human = [
          `${n.name} (CR ${n.cr})`,
          ...n.answers.map((a) => `  answers ${a.strength}: ${a.answer}`),
          ...n.threatens.map((t) => `  threatens ${t.bond}`),
          ...n.tactics.map((t) => `  tactic: ${t}`),
          ...n.tiers.map((t) => `  [${t.tier}] ${t.name} CR ${t.cr} ${t.status} — ${t.role}`),
        ].join('\n');
        return output(io, values, n, human);
      });
    },
  },
  {
    path: ['nemesis', 'evolve'],
    summary:
      'Adapt the nemesis to what the party did in a session (its journals): defeated foes replaced, new tactics, a CR step; committed with the reasons → { changes: [{ path, from, to, reason }] }.',
    usage: '--campaign C --session N [--data-dir DIR] [--json]',
    options: campaignSessionOptions,
    async run({ values, io }) {
      const { campaign, session } = campaignSession(values);
      return withCore(values, io, async (core) => {
        const res = await createCampaignGen(core).evolve(campaign, session);
        const human = res.changes.length
          ? res.changes
              .map((c) => `${c.path}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)} (${c.reason})`)
              .join('\n')
          : 'no change: nothing in the journals the nemesis must answer';
        return output(io, values, res, human);
      });
    },
  },
];
