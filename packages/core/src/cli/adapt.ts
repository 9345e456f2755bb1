/** `loreforge adapt`, `adapt apply|reject` (issue 13): post-session proposals the DM accepts or rejects one by one. */
import { createCampaignGen } from '../campaign-gen/service';
import { requireOption } from './args';
import { intOption } from './campaign-gen';
import type { CliCommand, OptionValues } from './registry';
import { CliError } from './registry';
import { output, storeOptions, withCore } from './store-cli';

function proposals(values: OptionValues, positionals: string[]): string[] {
  const raw = values['proposal'];
  const list = [...(Array.isArray(raw) ? raw : raw !== undefined ? [raw] : []), ...positionals]
    .map(String)
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  if (!list.length) throw new CliError('--proposal: name at least one proposal id');
  return list;
}

/** `--campaign C --session N`, for commands about one session of a campaign (adapt, nemesis evolve). */
export const campaignSessionOptions = {
  ...storeOptions,
  campaign: { type: 'string' },
  session: { type: 'string' },
} as const satisfies CliCommand['options'];

export function campaignSession(values: OptionValues): { campaign: string; session: number } {
  const campaign = requireOption(values, 'campaign');
  requireOption(values, 'session');
  return { campaign, session: intOption(values, 'session', 0, 100_000) as number };
}

const applyOrReject = (reject: boolean): CliCommand => ({
  path: ['adapt', reject ? 'reject' : 'apply'],
  summary: `${reject ? 'Reject' : 'Apply'} adaptation proposals by id (one commit with the reasons).`,
  usage: '--campaign C --proposal ID… [--data-dir DIR] [--json]',
  options: { ...storeOptions, campaign: { type: 'string' }, proposal: { type: 'string', multiple: true } },
  async run({ values, positionals, io }) {
    const campaign = requireOption(values, 'campaign');
    const ids = proposals(values, positionals);
    return withCore(values, io, async (core) => {
      const res = await createCampaignGen(core).applyProposals(campaign, ids, { reject });
      return output(
        io,
        values,
        res,
        `${reject ? 'rejected' : 'applied'} ${ids.join(', ')} (commit ${res.commit.slice(0, 8)})`,
      );
    });
  },
});

export const adaptCommands: CliCommand[] = [
  {
    path: ['adapt'],
    summary:
      'Proposals after a session (chapter played, branch taken, clues moved, nemesis changes) → { proposals: [{ id, kind, change, reason, sources }] }.',
    usage: '--campaign C --session N [--data-dir DIR] [--json]',
    options: campaignSessionOptions,
    async run({ values, io }) {
      const { campaign, session } = campaignSession(values);
      return withCore(values, io, async (core) => {
        const res = await createCampaignGen(core).adapt(campaign, session);
        const human =
          res.proposals.map((p) => `${p.id}  ${p.kind}  ${p.change.path}  ${p.reason}`).join('\n') ||
          'no proposals';
        return output(io, values, res, human);
      });
    },
  },
  applyOrReject(false),
  applyOrReject(true),
];
