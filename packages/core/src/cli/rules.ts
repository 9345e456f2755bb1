/** `loreforge rules …`: the rules engine on the command line (derive, validate, cr, encounter). */
import {
  BuildSchema,
  CreatureSchema,
  derive,
  encounterDifficulty2014,
  encounterDifficulty2024,
  estimateCr,
  parseCr,
  statBlockRuleset,
  toDeriveOutput,
  validate,
  type Build,
  type Content,
  type Creature,
} from '@loreforge/rules-5e';
import { loadSrdContent } from '../content/load-srd';
import { convertCreature, CREATURE_FORMATS, type CreatureFormat } from '../content/creature-formats';
import { checkBuild, formatFindings } from '../input/build-gate';
import { formatZodError, printJson, readJsonInput, requireOption, stringOption } from './args';
import { CliError, type CliCommand, type CliIo } from './registry';
import { explainText } from './sheet';

async function readBuild(arg: string | undefined, io: CliIo): Promise<Build> {
  const raw = await readJsonInput(arg, io, 'build');
  const parsed = BuildSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(formatZodError(parsed.error, 'build'));
  return parsed.data;
}

function content(io: CliIo): Content {
  return loadSrdContent(io.env['LOREFORGE_RESOURCES_DIR']);
}

const deriveCommand: CliCommand = {
  path: ['rules', 'derive'],
  summary:
    'Derive every number of a character build (JSON on stdout; --explain: each number with its explanation). A build outside the limits (levels 1–20, scores 1–30, known ids) is refused; one that breaks a rule is derived, its problems listed on stderr, exit 1.',
  usage: '<file|-> [--explain]',
  options: { explain: { type: 'boolean' } },
  async run({ positionals, values, io }) {
    const build = await readBuild(positionals[0], io);
    const c = content(io);
    const gate = checkBuild(build, c, undefined, '');
    if (gate.refusals.length)
      throw new CliError(`build: not valid, nothing derived\n${formatFindings(gate.refusals)}`);
    const derived = derive(build, c);
    if (values['explain'] === true) io.stdout(`${explainText(derived, c)}\n`);
    else printJson(io, toDeriveOutput(derived));
    const problems = validate(build, c).issues.filter((i) => i.severity === 'error');
    if (problems.length === 0) return 0;
    io.stderr(
      `build: not valid (${problems.length} rule problem${problems.length === 1 ? '' : 's'}; the numbers above follow the build as written)\n${problems.map((i) => `${i.path}: ${i.message}`).join('\n')}\n`,
    );
    return 1;
  },
};

const validateCommand: CliCommand = {
  path: ['rules', 'validate'],
  summary: 'Check a build against the rules; exit 0 when valid, 1 when not.',
  usage: '<file|->',
  async run({ positionals, io }) {
    const build = await readBuild(positionals[0], io);
    const result = validate(build, content(io));
    printJson(io, result);
    return result.valid ? 0 : 1;
  },
};

const crCommand: CliCommand = {
  path: ['rules', 'cr'],
  summary: 'Estimate the challenge rating of one creature or an array of them.',
  usage: '<file|-> [--format loreforge|dnd5eapi|open5e]',
  options: { format: { type: 'string', default: 'loreforge' } },
  async run({ positionals, values, io }) {
    const format = stringOption(values, 'format') ?? 'loreforge';
    if (!CREATURE_FORMATS.includes(format as CreatureFormat)) {
      throw new CliError(`--format: must be one of ${CREATURE_FORMATS.join(', ')} (got "${format}")`);
    }
    const raw = await readJsonInput(positionals[0], io, 'creature');
    const list = Array.isArray(raw) ? raw : [raw];
    // dnd5eapi stat blocks written for 2014 ("Melee Weapon Attack: +9 to hit") use the 2014 calibration.
    const rulesets = list.map((entry) =>
      format === 'dnd5eapi' ? statBlockRuleset(entry) : ('2024' as const),
    );
    const creatures: Creature[] = list.map((entry, i) => {
      const what = Array.isArray(raw) ? `creature[${i}]` : 'creature';
      const converted = convertCreature(entry, format as CreatureFormat, what);
      const parsed = CreatureSchema.safeParse(converted);
      if (!parsed.success) throw new CliError(formatZodError(parsed.error, what));
      return parsed.data;
    });
    // A caster's damaging spells are priced from the SRD spell data (loaded only when some creature casts).
    const spells = creatures.some((c) => c.spellcasting) ? content(io).spells : undefined;
    printJson(
      io,
      creatures.map((c, i) => {
        const est = estimateCr(c, { ruleset: rulesets[i] ?? '2024', ...(spells ? { spells } : {}) });
        return {
          name: c.name,
          cr: est.cr,
          xp: est.xp,
          defensiveCr: est.defensiveCr,
          offensiveCr: est.offensiveCr,
        };
      }),
    );
    return 0;
  },
};

function parseParty(text: string): number[] {
  const levels = text.split(',').map((s, i) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n < 1 || n > 20) {
      throw new CliError(`--party: entry ${i + 1} ("${s}") must be a character level from 1 to 20`);
    }
    return n;
  });
  if (levels.length === 0) throw new CliError('--party: give at least one character level, e.g. 3,3,3,3');
  return levels;
}

function tryParseCr(text: string): number | undefined {
  try {
    return parseCr(text);
  } catch {
    return undefined;
  }
}

function parseCreatures(text: string): number[] {
  const crs: number[] = [];
  text.split(',').forEach((part, i) => {
    const m = /^\s*([0-9./]+)\s*(?:x\s*(\d+))?\s*$/i.exec(part);
    const cr = m?.[1] !== undefined ? tryParseCr(m[1]) : undefined;
    const count = m?.[2] !== undefined ? Number(m[2]) : 1;
    if (cr === undefined || !Number.isInteger(count) || count < 1 || count > 1000) {
      throw new CliError(
        `--creatures: entry ${i + 1} ("${part}") must be CRxCOUNT with a CR from 0 to 30 (e.g. 0.5x4, 1/4x2, 5)`,
      );
    }
    for (let k = 0; k < count; k++) crs.push(cr);
  });
  return crs;
}

const encounterCommand: CliCommand = {
  path: ['rules', 'encounter'],
  summary: 'Encounter difficulty for a party (levels) against creatures (CRxCOUNT).',
  usage: '--party 3,3,3,3 --creatures 0.5x4,2x1 [--ruleset 2024|2014]',
  options: {
    party: { type: 'string' },
    creatures: { type: 'string' },
    ruleset: { type: 'string', default: '2024' },
  },
  async run({ values, io }) {
    const party = parseParty(requireOption(values, 'party'));
    const crs = parseCreatures(requireOption(values, 'creatures'));
    const ruleset = stringOption(values, 'ruleset') ?? '2024';
    if (ruleset === '2024') printJson(io, encounterDifficulty2024(party, crs));
    else if (ruleset === '2014') printJson(io, encounterDifficulty2014(party, crs));
    else throw new CliError(`--ruleset: must be 2024 or 2014 (got "${ruleset}")`);
    return 0;
  },
};

export const rulesCommands: CliCommand[] = [deriveCommand, validateCommand, crCommand, encounterCommand];
