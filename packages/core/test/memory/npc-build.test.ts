/**
 * NPC stubs and their builds (issue 10 item 1): a stub (public lore document of kind npc) shows as a character
 * with `build: null`; `entity build` adds a DM-only npc character linked from the DM notes; show, list, mentions
 * and the bridge see the stub once, with its build on the DM's side.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invokeHandler } from '../../src/api/invoke';
import { openTestBridge, type TestBridge } from '../bridge-helper';
import type { Core } from '../../src/index';
import { loadSrdContent } from '../../src/content/load-srd';
import { addNpcBuild, generateNpcBuild, npcBuildConcept } from '../../src/memory/npc-build';
import {
  createPipeline,
  createPipelineRouter,
  type CharacterPipeline,
  type CreateDraftInput,
} from '../../src/pipeline/index';
import { build, runCliCaptured } from '../helpers';
import { memoryCli } from './cli-helper';

interface StubShow {
  id: string;
  kind: string;
  stub?: boolean;
  build: { name: string; abilityScores: Record<string, number> } | null;
  derived: { hp?: unknown } | null;
  name: string;
  characterId?: string;
  campaign?: string;
}
interface ListRow {
  id: string;
  name: string;
  kind: string;
  stub?: boolean;
  build?: { characterId: string } | null;
}

describe('NPC stubs with builds: core + CLI', () => {
  let cli: ReturnType<typeof memoryCli>;
  beforeEach(() => {
    cli = memoryCli('lf-npcbuild-');
  });
  afterEach(() => cli.cleanup());

  it('show, list, build, replace, refusals, mentions keep naming the stub', async () => {
    const { j, run } = cli;
    const campaign = (await j<{ id: string }>(['campaign', 'create', '--name', 'Saltmarsh'])).id;
    const added = await j<{ mentions: { id: string; kind: string }[] }>([
      'journal',
      'add',
      '--campaign',
      campaign,
      '--title',
      'S1',
      '--text',
      'We met @[Gregor](new:npc) at the docks.',
    ]);
    const gregor = added.mentions[0]!.id;
    const loner = (
      await j<{ id: string }>([
        'entity',
        'create',
        '--campaign',
        campaign,
        '--kind',
        'npc',
        '--name',
        'Old Mara',
        '--dm-text',
        'knows the smugglers',
      ])
    ).id;
    const keep = (
      await j<{ id: string }>([
        'entity',
        'create',
        '--campaign',
        campaign,
        '--kind',
        'location',
        '--name',
        'Keep',
      ])
    ).id;
    // A plain npc character (imported, not a stub's build) is listed as itself.
    const f0 = join(cli.dataDir, '..', 'guard.json');
    writeFileSync(f0, JSON.stringify({ build: build({ name: 'Town Guard' }), kind: 'npc' }));
    const guard = (await j<{ id: string }>(['character', 'import', f0, '--campaign', campaign])).id;

    // A stub without a build, as a character.
    const bare = await j<StubShow>(['character', 'show', gregor]);
    expect(bare).toMatchObject({
      id: gregor,
      kind: 'npc',
      stub: true,
      build: null,
      derived: null,
      name: 'Gregor',
    });
    // The readable sheet says so.
    const sheet = await runCliCaptured(['character', 'show', gregor, '--data-dir', cli.dataDir], {
      cwd: cli.dataDir,
      author: 'dm-ana',
    });
    expect(sheet.code).toBe(0);
    expect(sheet.out).toMatch(/^Gregor \(npc stub\) — no build yet \(add one: loreforge entity build /);
    expect((await j<{ build?: unknown }>(['entity', 'show', gregor])).build).toBeNull();
    expect((await j<{ build?: unknown }>(['entity', 'show', keep])).build).toBeUndefined();

    let list = await j<ListRow[]>(['character', 'list', '--campaign', campaign, '--kind', 'npc']);
    expect(list.map((r) => [r.name, r.stub ?? false, r.build ?? null])).toEqual([
      ['Gregor', true, null],
      ['Old Mara', true, null],
      ['Town Guard', false, null],
    ]);

    // Add a build from a file.
    const file = join(cli.dataDir, '..', 'gregor.json');
    writeFileSync(
      file,
      JSON.stringify({ build: build({ name: 'Gregor' }), narrative: { backstory: 'a retired lamplighter' } }),
    );
    const res = await j<{ id: string; characterId: string; replaced: boolean; commit: string }>([
      'entity',
      'build',
      gregor,
      '--build',
      file,
    ]);
    expect(res).toMatchObject({ id: gregor, replaced: false });
    expect(res.characterId).not.toBe(gregor);
    expect((await j<{ build?: unknown }>(['entity', 'show', gregor])).build).toEqual({
      characterId: res.characterId,
    });
    const shown = await j<StubShow>(['character', 'show', gregor]);
    expect(shown).toMatchObject({ id: gregor, stub: true, characterId: res.characterId, kind: 'npc' });
    expect(shown.build?.name).toBe('Gregor');
    expect(shown.derived).not.toBeNull();
    const fullSheet = await runCliCaptured(['character', 'show', gregor, '--data-dir', cli.dataDir], {
      cwd: cli.dataDir,
      author: 'dm-ana',
    });
    expect(fullSheet.out).toContain(`build of NPC stub ${gregor} (Gregor)`);
    expect(fullSheet.out).toMatch(/AC \d+/);
    // The character itself is an npc (DM-only by kind).
    expect((await j<{ kind: string }>(['character', 'show', res.characterId])).kind).toBe('npc');

    list = await j<ListRow[]>(['character', 'list', '--campaign', campaign, '--kind', 'npc']);
    expect(list.map((r) => r.id)).toEqual([gregor, loner, guard]);
    expect(list[0]).toMatchObject({ stub: true, build: { characterId: res.characterId } });
    expect(list.some((r) => r.id === res.characterId)).toBe(false);
    // Without --kind too; --kind pc leaves stubs out.
    const all = await j<ListRow[]>(['character', 'list', '--campaign', campaign]);
    expect(all.filter((r) => r.id === gregor || r.id === res.characterId).map((r) => r.id)).toEqual([gregor]);
    expect(await j<ListRow[]>(['character', 'list', '--campaign', campaign, '--kind', 'pc'])).toEqual([]);
    // entity list --kind npc: the stub once, not its build's character.
    const ents = await j<{ id: string }[]>(['entity', 'list', '--campaign', campaign, '--kind', 'npc']);
    expect(ents.map((e) => e.id).sort()).toEqual([gregor, loner, guard].sort());

    // Search finds the stub once, by its name or by its build's narrative (the DM's side).
    const byName = await j<{ id: string; name: string }[]>(['search', 'Gregor', '--campaign', campaign]);
    expect(byName.filter((h) => h.name === 'Gregor').map((h) => h.id)).toEqual([gregor]);
    expect(byName.some((h) => h.id === res.characterId)).toBe(false);
    const byStory = await j<{ id: string }[]>(['search', 'lamplighter', '--campaign', campaign]);
    expect(byStory.map((h) => h.id)).toEqual([gregor]);

    // Mentions of the name still resolve to the stub alone (the build's character is not a second "Gregor").
    const again = await j<{ mentions: { id: string }[] }>([
      'journal',
      'add',
      '--campaign',
      campaign,
      '--title',
      'S2',
      '--text',
      'Gregr waved at us, @Gregr again.',
    ]);
    expect(again.mentions.map((m) => m.id)).toEqual([gregor]);

    // A second call is refused; --replace edits the build in place (same character, new commit).
    const twice = await run(['entity', 'build', gregor, '--build', file]);
    expect(twice.code).not.toBe(0);
    expect(twice.err).toMatch(/already has a build \(character [0-9a-f-]+\); pass --replace/);
    writeFileSync(
      file,
      JSON.stringify(
        build({ name: 'Gregor', abilityScores: { str: 16, dex: 14, con: 14, int: 10, wis: 10, cha: 8 } }),
      ),
    );
    const replaced = await j<{ characterId: string; replaced: boolean; commit: string }>([
      'entity',
      'build',
      gregor,
      '--build',
      file,
      '--replace',
    ]);
    expect(replaced).toMatchObject({ characterId: res.characterId, replaced: true });
    expect(replaced.commit).not.toBe(res.commit);
    expect((await j<StubShow>(['character', 'show', gregor])).build?.abilityScores['str']).toBe(16);

    // Editing the stub's DM-only part keeps the link.
    await j(['entity', 'edit', gregor, '--dm-text', 'secretly a smuggler']);
    expect(await j<{ build?: unknown; dm?: { text: string } }>(['entity', 'show', gregor])).toMatchObject({
      build: { characterId: res.characterId },
      dm: { text: 'secretly a smuggler' },
    });

    // Refusals, each naming what is wrong.
    const onLocation = await run(['entity', 'build', keep, '--build', file]);
    expect(onLocation.code).not.toBe(0);
    expect(onLocation.err).toMatch(/is a location entity, not a character or an NPC stub/);
    const onCharacter = await run(['entity', 'build', guard, '--build', file]);
    expect(onCharacter.code).not.toBe(0);
    expect(onCharacter.err).toMatch(/is not an NPC stub/);
    const both = await run(['entity', 'build', loner, '--build', file, '--generate']);
    expect(both.code).not.toBe(0);
    expect(both.err).toMatch(/--build FILE or --generate: give exactly one/);
    const pcKind = join(cli.dataDir, '..', 'pc.json');
    writeFileSync(pcKind, JSON.stringify({ build: build({ name: 'X' }), kind: 'pc' }));
    const wrongKind = await run(['entity', 'build', loner, '--build', pcKind]);
    expect(wrongKind.err).toMatch(/kind: an NPC stub's build is a character of kind npc/);
    const bad = join(cli.dataDir, '..', 'bad.json');
    writeFileSync(bad, JSON.stringify(build({ name: 'Mara', classes: [{ class: 'fighter', level: 25 }] })));
    const badBuild = await run(['entity', 'build', loner, '--build', bad]);
    expect(badBuild.code).not.toBe(0);
    expect(badBuild.err).toMatch(/nothing was saved/);
    expect((await j<StubShow>(['character', 'show', loner])).build).toBeNull();
    const badList = await run(['character', 'list', '--campaign', campaign, '--kind', 'dragon']);
    expect(badList.err).toMatch(/--kind dragon: expected pc, npc or monster/);

    // --generate (offline): a DM-only npc character named after the stub, linked.
    const gen = await j<{ id: string; characterId: string; branch: string }>([
      'entity',
      'build',
      loner,
      '--generate',
      '--provider',
      'offline',
      '--seed',
      '7',
    ]);
    expect(gen.id).toBe(loner);
    // Finalized: on main, not left as a draft.
    expect(gen.branch).toBe('main');
    const genShow = await j<StubShow>(['character', 'show', loner]);
    expect(genShow).toMatchObject({ id: loner, characterId: gen.characterId, kind: 'npc' });
    expect(genShow.build?.name).toBe('Old Mara');
    const genAgain = await run(['entity', 'build', loner, '--generate', '--provider', 'offline']);
    expect(genAgain.err).toMatch(/already has a build/);
  });
});

describe('NPC stubs: core and the bridge', () => {
  let bridge: TestBridge;
  let core: Core;
  let handlers: TestBridge['handlers'];
  let call: TestBridge['call'];
  let events: TestBridge['events'];
  beforeEach(async () => {
    ({ core, handlers, call, events } = bridge = await openTestBridge());
  });
  afterEach(() => bridge.close());

  it('memory.npc, memory.npcBuild, memory.npcs; a player folder is refused', async () => {
    const campaign = (await core.campaigns.create({ name: 'Bridge' })).id;
    const stub = (await core.memory.entities.create(campaign, { kind: 'npc', name: 'Varo' })).id;
    expect(await call('memory.npc', { id: stub })).toMatchObject({
      id: stub,
      stub: true,
      kind: 'npc',
      name: 'Varo',
      characterId: null,
      build: null,
      derived: null,
    });
    const made = await call<{ characterId: string }>('memory.npcBuild', {
      id: stub,
      build: build({ name: 'Varo' }),
    });
    const npc = await call<{
      characterId: string;
      build: { name: string };
      derived: { armorClass: unknown };
    }>('memory.npc', { id: stub });
    expect(npc.characterId).toBe(made.characterId);
    expect(npc.build.name).toBe('Varo');
    expect(npc.derived.armorClass).toBeDefined();
    const rows = await call<ListRow[]>('memory.npcs', { campaign, kind: 'npc' });
    expect(rows).toEqual([
      expect.objectContaining({ id: stub, stub: true, build: { characterId: made.characterId } }),
    ]);
    const found = await call<{ hits: { id: string }[] }>('memory.search', { campaign, query: 'Varo' });
    expect(found.hits.map((h) => h.id)).toEqual([stub]);
    const r = await invokeHandler(handlers, 'memory.npcBuild', { id: stub, build: build({ name: 'Varo' }) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('conflict');
    const notStub = await invokeHandler(handlers, 'memory.npc', { id: made.characterId });
    expect(notStub.ok).toBe(false);
    // A player's copy of a campaign cannot add a build.
    await core.campaigns.setMembership(campaign, { role: 'player', user: 'ana', owns: [] });
    const other = (await core.memory.entities.npcStub(stub))!;
    expect(other.name).toBe('Varo');
    await expect(addNpcBuild(core, stub, build({ name: 'Varo' }), { replace: true })).rejects.toThrow(
      /a player's copy of campaign .*an NPC's build lives only in the DM's data folder/,
    );
  });

  it('memory.npcGenerate generates, names, finalizes and links a build in one call; no draft is left', async () => {
    const campaign = (await core.campaigns.create({ name: 'Generate' })).id;
    const stub = (
      await core.memory.entities.create(campaign, {
        kind: 'npc',
        name: 'Gregor Vantassel',
        text: 'A dockhand who runs the smugglers of the Salty Eel.',
      } as never)
    ).id;
    expect(npcBuildConcept('Gregor Vantassel', (await core.memory.entities.npcStub(stub))!.text)).toBe(
      'Gregor Vantassel: A dockhand who runs the smugglers of the Salty Eel.',
    );
    expect(npcBuildConcept('Gregor', 'met @[Mara](new:npc) ')).toBe('Gregor: met Mara');
    expect(npcBuildConcept('G', 'x'.repeat(3000))).toHaveLength(2000);

    // Bad input names the field; nothing is generated.
    for (const [input, field] of [
      [{ id: stub, level: 25 }, 'level'],
      [{ id: stub, seed: 1.5 }, 'seed'],
      [{ id: '' }, 'id'],
    ] as const) {
      const bad = await invokeHandler(handlers, 'memory.npcGenerate', input);
      expect(bad.ok).toBe(false);
      if (!bad.ok) {
        expect(bad.error.code).toBe('invalid-input');
        expect(bad.error.message).toMatch(new RegExp(`memory\\.npcGenerate: ${field}: `));
      }
    }
    const place = (await core.memory.entities.create(campaign, { kind: 'location', name: 'Docks' })).id;
    const notNpc = await invokeHandler(handlers, 'memory.npcGenerate', { id: place });
    expect(notNpc.ok).toBe(false);
    if (!notNpc.ok) expect(notNpc.error.message).toMatch(/Docks.*not a character or an NPC stub/);
    expect(await core.characters.list()).toEqual([]);

    events.length = 0;
    const res = await call<{ id: string; characterId: string; commit: string; branch: string }>(
      'memory.npcGenerate',
      { id: stub, level: 3, seed: 7 },
    );
    expect(res).toMatchObject({ id: stub, branch: 'main' });
    const main = (await core.history.branches(res.characterId)).find((b) => b.name === 'main');
    expect(main?.head).toBe(res.commit);
    // The one character stored is the build: an npc of the stub's campaign, named after the stub, level 3.
    const rows = await core.characters.list();
    expect(rows).toEqual([
      expect.objectContaining({ id: res.characterId, kind: 'npc', campaign, branch: 'main' }),
    ]);
    const npc = await call<{ characterId: string; build: { name: string; classes: { level: number }[] } }>(
      'memory.npc',
      { id: stub },
    );
    expect(npc.characterId).toBe(res.characterId);
    expect(npc.build.name).toBe('Gregor Vantassel');
    expect(npc.build.classes.reduce((n, c) => n + c.level, 0)).toBe(3);
    // Finalized: main's head is the returned commit and carries the baseline tag; no draft is listed.
    const log = await core.history.log(res.characterId, { branch: 'main' });
    const head = log.find((e) => e.commit === res.commit);
    expect(head?.tags).toContain('baseline');
    expect(await call<unknown[]>('drafts.list', {})).toEqual([]);
    expect(
      events.some(
        (e) => e.event === 'characters.changed' && (e.payload as { id: string }).id === res.characterId,
      ),
    ).toBe(true);
    // The stub shows once in the campaign's characters, carrying its build.
    expect(await call<ListRow[]>('memory.npcs', { campaign })).toEqual([
      expect.objectContaining({ id: stub, stub: true, build: { characterId: res.characterId } }),
    ]);

    // A second call is refused before any generation: still one character.
    const again = await invokeHandler(handlers, 'memory.npcGenerate', { id: stub });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.code).toBe('conflict');
    // A player's copy cannot generate one either.
    const other = (await core.memory.entities.create(campaign, { kind: 'npc', name: 'Sly Pete' })).id;
    await core.campaigns.setMembership(campaign, { role: 'player', user: 'ana', owns: [] });
    const player = await invokeHandler(handlers, 'memory.npcGenerate', { id: other });
    expect(player.ok).toBe(false);
    if (!player.ok) expect(player.error.code).toBe('read-only');
    expect((await core.characters.list()).map((r) => r.id)).toEqual([res.characterId]);
  });

  it('generateNpcBuild sends the stub name and page to the generator and keeps the CLI default (draft branch)', async () => {
    const campaign = (await core.campaigns.create({ name: 'Concept' })).id;
    const stub = (
      await core.memory.entities.create(campaign, {
        kind: 'npc',
        name: 'Old Mara',
        text: 'She mends nets for the smugglers.',
      } as never)
    ).id;
    const content = loadSrdContent();
    const { router } = await createPipelineRouter(content, { provider: 'offline' });
    const real = createPipeline(core, { llm: router, content });
    const asked: CreateDraftInput[] = [];
    const spy: CharacterPipeline = {
      ...real,
      createDraft: (input, o) => {
        asked.push(input);
        return real.createDraft(input, o);
      },
    };
    const res = await generateNpcBuild(core, spy, stub, { level: 2, seed: 5 });
    expect(asked).toEqual([
      {
        concept: 'Old Mara: She mends nets for the smugglers.',
        kind: 'npc',
        campaignId: campaign,
        level: 2,
        seed: 5,
      },
    ]);
    expect(res).toMatchObject({ id: stub, branch: 'draft' });
    // Not finalized (the CLI's default): the app's drafts list shows it until it is.
    expect((await call<{ draftId: string }[]>('drafts.list', {})).map((d) => d.draftId)).toEqual([
      res.characterId,
    ]);
    expect((await core.memory.entities.npcStub(stub))?.characterId).toBe(res.characterId);
    expect((await core.characters.showAny(res.characterId)).doc.build?.name).toBe('Old Mara');
    await expect(generateNpcBuild(core, spy, stub)).rejects.toThrow(/already has a build/);
    expect(asked).toHaveLength(1);
  });
});
