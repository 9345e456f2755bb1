/** `loreforge character import|show|list|edit`. */
import {
  derive,
  estimateCr,
  toDeriveOutput,
  validate,
  type Build,
  type Content,
  type Creature,
  type DerivedCharacter,
} from '@loreforge/rules-5e';
import type { CharacterDoc } from '../docs/character-doc';
import { loadSrdContent } from '../content/load-srd';
import type { Json } from '../docs/y-json';
import type { SetOp } from '../services/characters';
import { listCharacters, npcStubCharacter } from '../memory/npc-build';
import { readJsonInput, stringOption } from './args';
import { CliError, type CliCommand, type CliIo } from './registry';
import { sheetText } from './sheet';
import { output, outputList, positional, short, storeOptions, withCore } from './store-cli';

function deriveFor(build: Build, content: Content, io: CliIo): DerivedCharacter | null {
  try {
    return derive(build, content);
  } catch (err) {
    io.stderr(`loreforge character show: cannot derive numbers (${(err as Error).message})\n`);
    return null;
  }
}

/** Rule warnings of an import or edit go to stderr, one per line; the write went through. */
function printWarnings(io: CliIo, command: string, warnings: readonly string[] | undefined): void {
  for (const w of warnings ?? []) io.stderr(`loreforge ${command}: warning: ${w}\n`);
}

/**
 * A stat block's derived view: the rules engine's CR estimate (never the stored number alone) and the stat block
 * as stored. Used for monsters, and for any character that has a stat block and no build.
 */
export function statBlockDerived(creature: Creature) {
  const e = estimateCr(creature);
  return {
    challenge: {
      cr: e.cr,
      xp: e.xp,
      defensiveCr: e.defensiveCr,
      offensiveCr: e.offensiveCr,
      method: e.method,
      stored: creature.cr,
    },
    statBlock: creature,
  };
}

/** Which view `character show` derives: the stat block for monsters (and stat-block-only npcs), else the build. */
function showView(doc: CharacterDoc, io: CliIo) {
  const creature = doc.creature;
  if (creature && (doc.kind === 'monster' || !doc.build)) {
    return {
      derived: statBlockDerived(creature),
      human: `${creature.name} (${doc.kind}${doc.status === 'dead' ? ', dead' : ''}) — ${creature.size} ${creature.type}, CR ${estimateCr(creature).cr}, AC ${creature.ac}, HP ${creature.hp.average} (${creature.hp.formula})`,
    };
  }
  const b = doc.build as Build;
  const content = loadSrdContent(io.env['LOREFORGE_RESOURCES_DIR']);
  const derived = deriveFor(b, content, io);
  const issues = validate(b, content).issues.filter((i) => i.severity === 'error');
  return {
    derived: derived ? toDeriveOutput(derived) : null,
    human: [
      `${b.name} (${doc.kind}${doc.status === 'dead' ? ', dead' : ''}) — ${b.classes.map((c) => `${c.class} ${c.level}`).join(' / ')}`,
      ...sheetText(doc, b, derived, content),
      ...(issues.length ? ['', 'Rule problems:', ...issues.map((i) => `  ${i.path}: ${i.message}`)] : []),
    ].join('\n'),
  };
}

/** `--set <json-pointer>=<json-value>`; `null` removes the key or element. */
export function parseSet(arg: string): SetOp {
  const eq = arg.indexOf('=');
  if (eq <= 0)
    throw new CliError(
      `--set ${arg}: expected <json-pointer>=<json-value>, e.g. /build/abilityScores/str=18`,
    );
  const path = arg.slice(0, eq);
  const raw = arg.slice(eq + 1);
  if (!path.startsWith('/'))
    throw new CliError(`--set ${arg}: the path must be a JSON pointer starting with "/"`);
  let value: Json;
  try {
    value = JSON.parse(raw) as Json;
  } catch {
    throw new CliError(`--set ${arg}: the value must be JSON (quote strings: ${path}='"${raw}"')`);
  }
  return { path, value: value === null ? undefined : value };
}

export const characterCommands: CliCommand[] = [
  {
    path: ['character', 'import'],
    summary: 'Import a character build (optionally with narrative fields) → { id, branch, commit }.',
    usage: '<file|-> [--campaign ID] [--data-dir DIR] [--json]',
    options: { ...storeOptions, campaign: { type: 'string' } },
    async run({ positionals, values, io }) {
      const input = await readJsonInput(positionals[0], io, 'character');
      const campaign = stringOption(values, 'campaign');
      return withCore(values, io, async (core) => {
        const { warnings, ...res } = await core.characters.import(input, campaign ? { campaign } : {});
        printWarnings(io, 'character import', warnings);
        return output(
          io,
          values,
          { ...res, ...(warnings.length ? { warnings } : {}) },
          `imported character ${res.id} (branch ${res.branch}, commit ${short(res.commit)})`,
        );
      });
    },
  },
  {
    path: ['character', 'show'],
    summary:
      'Show a character sheet at a branch or commit → { id, branch, commit, build, derived, narrative, elements } (+ kind, creature, provenance when set; monsters: derived = CR estimate + stat block).',
    usage: '<id> [--ref BRANCH|COMMIT] [--data-dir DIR] [--json]',
    options: { ...storeOptions, ref: { type: 'string' } },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const ref = stringOption(values, 'ref');
      return withCore(values, io, async (core) => {
        // An NPC stub (a lore entity of kind npc): its build's character on the DM's side, else the stub.
        const npc = await npcStubCharacter(core, id, ref ? { ref } : {});
        if (npc && !npc.character) {
          const { stub } = npc;
          return output(
            io,
            values,
            {
              id: stub.id,
              kind: 'npc',
              stub: true,
              build: null,
              derived: null,
              name: stub.name,
              campaign: stub.campaign,
              aliases: stub.aliases,
              tags: stub.tags,
              text: stub.text,
            },
            [
              `${stub.name} (npc stub) — no build yet${stub.dmSide ? ` (add one: loreforge entity build ${stub.id} --build FILE)` : ''}`,
              `id ${stub.id}  campaign ${stub.campaign}`,
              ...(stub.aliases.length ? [`aka ${stub.aliases.join(', ')}`] : []),
            ].join('\n'),
          );
        }
        const v = npc?.character ?? (await core.characters.showAny(id, ref ? { ref } : {}));
        const view = showView(v.doc, io);
        const [first, ...rest] = view.human.split('\n');
        const human = [
          first,
          `id ${v.id}  branch ${v.branch}  commit ${short(v.commit)}`,
          ...(npc ? [`build of NPC stub ${npc.stub.id} (${npc.stub.name})`] : []),
          ...rest,
        ].join('\n');
        // `narrative` and `elements` always (as `character create` returns them); kind, creature and
        // provenance only when the document holds them.
        const extra = {
          ...(v.doc.kind === 'pc' ? {} : { kind: v.doc.kind }),
          ...(v.doc.creature ? { creature: v.doc.creature } : {}),
          narrative: v.doc.narrative ?? null,
          elements: v.doc.elements ?? [],
          ...(v.doc.provenance ? { provenance: v.doc.provenance } : {}),
        };
        return output(
          io,
          values,
          {
            // Shown through its stub: `id` is the stub's, `characterId` the character holding the build.
            ...(npc ? { id: npc.stub.id, stub: true, characterId: v.id, name: npc.stub.name } : { id: v.id }),
            branch: v.branch,
            commit: v.commit,
            build: v.doc.build ?? null,
            derived: view.derived,
            ...extra,
          },
          human,
        );
      });
    },
  },
  {
    path: ['character', 'list'],
    summary:
      'List characters → [{ id, name, kind, campaign, branch, commit }]; with --campaign also its NPC stubs (stub: true, build: null or { characterId }).',
    usage: '[--campaign ID] [--kind pc|npc|monster] [--data-dir DIR] [--json]',
    options: { ...storeOptions, campaign: { type: 'string' }, kind: { type: 'string' } },
    async run({ values, io }) {
      const campaign = stringOption(values, 'campaign');
      const kind = stringOption(values, 'kind');
      if (kind !== undefined && !['pc', 'npc', 'monster'].includes(kind))
        throw new CliError(`--kind ${kind}: expected pc, npc or monster`);
      return withCore(values, io, async (core) => {
        const rows = await listCharacters(core, {
          ...(campaign ? { campaign } : {}),
          ...(kind ? { kind } : {}),
        });
        return outputList(
          io,
          values,
          rows,
          (r) =>
            `${r.id}  ${r.kind.padEnd(7)} ${r.name}  ${
              r.stub
                ? r.build
                  ? `[stub; build ${r.build.characterId}]`
                  : '[stub; no build yet]'
                : `[${r.branch ?? ''} ${r.commit ? short(r.commit) : ''}]`
            }`,
          'no characters',
        );
      });
    },
  },
  {
    path: ['character', 'edit'],
    summary: 'Set fields by JSON pointer and commit → { commit }.',
    usage: '<id> [--branch NAME] --set <json-pointer>=<json-value> … [-m MESSAGE] [--data-dir DIR] [--json]',
    options: {
      ...storeOptions,
      branch: { type: 'string' },
      set: { type: 'string', multiple: true },
      message: { type: 'string', short: 'm' },
    },
    async run({ positionals, values, io }) {
      const id = positional(positionals, 0, 'id');
      const sets = (values['set'] as string[] | undefined) ?? [];
      if (sets.length === 0) throw new CliError('--set: give at least one <json-pointer>=<json-value>');
      const set = sets.map(parseSet);
      const branch = stringOption(values, 'branch');
      const message = stringOption(values, 'message');
      return withCore(values, io, async (core) => {
        const res = await core.characters.edit(id, {
          set,
          ...(branch ? { branch } : {}),
          ...(message ? { message } : {}),
        });
        printWarnings(io, 'character edit', res.warnings);
        return output(
          io,
          values,
          { commit: res.commit, ...(res.warnings.length ? { warnings: res.warnings } : {}) },
          `committed ${short(res.commit)}${res.tags.length ? ` (tags: ${res.tags.join(', ')})` : ''}`,
        );
      });
    },
  },
];
