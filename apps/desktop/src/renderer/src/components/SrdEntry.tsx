/**
 * One SRD entry as a player reads it: spell cards, stat blocks, item, class, subclass, species, background and
 * feat pages. Facts come from the SRD data; the descriptions are our own summaries.
 */
import type { MonsterView } from '@loreforge/core';
import type { ReactNode } from 'react';
import { ABILITY_NAMES, humanize } from '../words';
import { StatBlockView } from './StatBlockView';

type Row = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown) => (typeof v === 'number' ? v : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const rec = (v: unknown): Row => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Row) : {});
const ability = (a: unknown) => ABILITY_NAMES[str(a)] ?? humanize(str(a));
const names = (v: unknown) =>
  list(v)
    .map((x) => humanize(str(x)))
    .join(', ');
const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

function Facts({ items }: { items: [string, ReactNode][] }) {
  const shown = items.filter(([, v]) => v !== '' && v !== null && v !== undefined);
  return (
    <dl className="facts">
      {shown.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Summary({ row }: { row: Row }) {
  const s = str(row['summary']);
  return s ? <p className="entry-summary">{s}</p> : null;
}

function Spell({ row }: { row: Row }) {
  const level = num(row['level']) ?? 0;
  const c = rec(row['components']);
  const comps = [
    c['verbal'] ? 'V' : '',
    c['somatic'] ? 'S' : '',
    c['material']
      ? `M (${str(c['material'])}${num(c['materialCost']) ? `, worth ${num(c['materialCost'])} gp` : ''}${c['materialConsumed'] ? ', consumed' : ''})`
      : '',
  ]
    .filter(Boolean)
    .join(', ');
  const dmg = rec(row['damage']);
  const heal = rec(row['healing']);
  const scaling = Object.entries(rec(row['scaling']));
  const school = humanize(str(row['school']));
  return (
    <>
      <p className="entry-kind">
        {level === 0 ? `${school} cantrip` : `${ordinal(level)}-level ${school.toLowerCase()}`}
      </p>
      <Facts
        items={[
          ['Casting time', `${str(row['castingTime'])}${row['ritual'] ? ' (or as a ritual)' : ''}`],
          ['Range', str(row['range'])],
          ['Components', comps],
          ['Duration', `${row['concentration'] ? 'Concentration, ' : ''}${str(row['duration'])}`],
          ['Damage', dmg['dice'] ? `${str(dmg['dice'])} ${list(dmg['types']).join(' or ')}` : ''],
          ['Healing', heal['dice'] ? str(heal['dice']) : ''],
          ['Saving throw', row['save'] ? ability(row['save']) : ''],
          ['Attack', row['attack'] ? `${humanize(str(row['attack']))} spell attack` : ''],
          ['Spell lists', names(row['classes'])],
        ]}
      />
      <Summary row={row} />
      {scaling.length > 0 && (
        <p>
          <strong>{level === 0 ? 'Cantrip upgrade.' : 'At higher levels.'}</strong>{' '}
          {scaling
            .map(([k, v]) => `${level === 0 ? `level ${k}` : `${ordinal(Number(k))}`}: ${String(v)}`)
            .join(' · ')}
        </p>
      )}
    </>
  );
}

function Item({ row }: { row: Row }) {
  const kind = str(row['kind']);
  const dmg = rec(row['damage']);
  const range = rec(row['range']);
  const bonuses = Object.entries(rec(row['bonuses']));
  const cost = num(row['cost']);
  return (
    <>
      <p className="entry-kind">
        {kind === 'magic-item'
          ? `${humanize(str(row['rarity']))} ${humanize(str(row['category'])).toLowerCase()}${row['attunement'] ? ' (requires attunement)' : ''}`
          : kind === 'weapon'
            ? `${humanize(str(row['category']))} ${row['ranged'] ? 'ranged' : 'melee'} weapon`
            : kind === 'armor'
              ? str(row['armorType']) === 'shield'
                ? 'Shield'
                : `${humanize(str(row['armorType']))} armor`
              : humanize(str(row['category']) || kind)}
      </p>
      <Facts
        items={[
          ['Cost', cost !== null ? `${cost} gp` : ''],
          ['Weight', num(row['weight']) ? `${num(row['weight'])} lb.` : ''],
          [
            'Armor Class',
            kind === 'armor'
              ? str(row['armorType']) === 'shield'
                ? `+${num(row['ac'])}`
                : `${num(row['ac'])}${str(row['armorType']) === 'light' ? ' + Dex modifier' : str(row['armorType']) === 'medium' ? ' + Dex modifier (max 2)' : ''}`
              : '',
          ],
          ['Strength', num(row['strength']) ? `needs ${num(row['strength'])}` : ''],
          ['Stealth', row['stealthDisadvantage'] ? 'Disadvantage' : ''],
          [
            'Damage',
            dmg['dice']
              ? `${str(dmg['dice'])} ${str(dmg['type'])}${row['versatileDice'] ? ` (${str(row['versatileDice'])} two-handed)` : ''}`
              : '',
          ],
          ['Range', range['normal'] ? `${String(range['normal'])}/${String(range['long'])} ft.` : ''],
          ['Properties', names(row['properties'])],
          ['Mastery', row['mastery'] ? humanize(str(row['mastery'])) : ''],
          [
            'Bonuses',
            bonuses
              .map(([k, v]) => `+${String(v)} ${k === 'ac' ? 'AC' : humanize(k).toLowerCase()}`)
              .join(', '),
          ],
        ]}
      />
      <Summary row={row} />
    </>
  );
}

function Features({ features, title = 'Features' }: { features: unknown; title?: string }) {
  const fs = list(features).map(rec);
  if (fs.length === 0) return null;
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      <dl className="features">
        {fs.map((f) => (
          <div key={str(f['id']) || str(f['name'])}>
            <dt>
              {str(f['name'])}
              {num(f['level']) ? <span className="muted"> · level {num(f['level'])}</span> : null}
            </dt>
            <dd>{str(f['summary'])}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Class({ row }: { row: Row }) {
  const sc = rec(row['spellcasting']);
  const skills = rec(row['skillChoices']);
  const levels = list(row['levels']).map(rec);
  const featureName = new Map(list(row['features']).map((f) => [str(rec(f)['id']), str(rec(f)['name'])]));
  const casts = levels.some((l) => list(l['slots']).some((n) => Number(n) > 0) || l['pactSlots']);
  return (
    <>
      <p className="entry-kind">Class</p>
      <Facts
        items={[
          ['Hit die', `d${num(row['hitDie'])}`],
          ['Primary ability', list(row['primaryAbilities']).map(ability).join(' or ')],
          ['Saving throws', list(row['savingThrows']).map(ability).join(', ')],
          ['Armor', names(row['armorProficiencies']) || 'none'],
          ['Weapons', names(row['weaponProficiencies'])],
          ['Tools', names(row['tools'])],
          ['Skills', skills['count'] ? `Choose ${String(skills['count'])}: ${names(skills['from'])}` : ''],
          [
            'Spellcasting',
            sc['ability'] ? `${ability(sc['ability'])}, from level ${String(sc['startsAt'] ?? 1)}` : '',
          ],
          [
            'Subclass',
            num(row['subclassLevel'])
              ? `at level ${num(row['subclassLevel'])}: ${names(row['subclasses'])}`
              : '',
          ],
        ]}
      />
      <Summary row={row} />
      <section aria-label="Class table">
        <h3>Class table</h3>
        <table className="class-table">
          <thead>
            <tr>
              <th scope="col">Level</th>
              <th scope="col">Proficiency</th>
              <th scope="col">Features</th>
              {casts && <th scope="col">Cantrips</th>}
              {casts && <th scope="col">Spells prepared</th>}
              {casts && <th scope="col">Spell slots</th>}
            </tr>
          </thead>
          <tbody>
            {levels.map((l) => (
              <tr key={String(l['level'])}>
                <th scope="row">{String(l['level'])}</th>
                <td>+{String(l['proficiencyBonus'])}</td>
                <td>
                  {list(l['features'])
                    .map((f) => featureName.get(str(f)) ?? humanize(str(f)))
                    .join(', ')}
                </td>
                {casts && <td>{String(l['cantrips'] ?? 0)}</td>}
                {casts && <td>{String(l['prepared'] ?? 0)}</td>}
                {casts && (
                  <td>
                    {l['pactSlots']
                      ? `${String(rec(l['pactSlots'])['count'])} × ${ordinal(Number(rec(l['pactSlots'])['level']))}`
                      : list(l['slots'])
                          .map((n, i) => (Number(n) > 0 ? `${ordinal(i + 1)}: ${String(n)}` : ''))
                          .filter(Boolean)
                          .join(' · ') || '—'}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <Features features={row['features']} />
    </>
  );
}

function Species({ row }: { row: Row }) {
  return (
    <>
      <p className="entry-kind">Species</p>
      <Facts
        items={[
          ['Creature type', humanize(str(row['creatureType']))],
          ['Size', names(row['sizes'])],
          ['Speed', `${num(row['speed'])} ft.`],
        ]}
      />
      <Summary row={row} />
      <Features features={row['traits']} title="Traits" />
      <Features features={row['lineages']} title="Lineages" />
    </>
  );
}

function Background({ row }: { row: Row }) {
  return (
    <>
      <p className="entry-kind">Background</p>
      <Facts
        items={[
          ['Ability scores', list(row['abilities']).map(ability).join(', ')],
          [
            'Feat',
            `${humanize(str(row['feat']))}${row['featOption'] ? ` (${humanize(str(row['featOption']))})` : ''}`,
          ],
          ['Skills', names(row['skills'])],
          ['Tool', humanize(str(row['tool']))],
          [
            'Equipment',
            list(row['equipment'])
              .map(rec)
              .map(
                (e) =>
                  `${humanize(str(e['item']))}${Number(e['quantity']) > 1 ? ` ×${String(e['quantity'])}` : ''}`,
              )
              .join(', ') + (num(row['gold']) ? `, ${num(row['gold'])} gp` : ''),
          ],
        ]}
      />
      <Summary row={row} />
    </>
  );
}

function Feat({ row }: { row: Row }) {
  const pre = rec(row['prerequisite']);
  return (
    <>
      <p className="entry-kind">{humanize(str(row['category']))} feat</p>
      <Facts
        items={[
          ['Prerequisite', str(pre['text'])],
          ['Repeatable', row['repeatable'] ? 'Yes' : ''],
        ]}
      />
      <Summary row={row} />
    </>
  );
}

function Subclass({ row }: { row: Row }) {
  return (
    <>
      <p className="entry-kind">{humanize(str(row['class']))} subclass</p>
      <Summary row={row} />
      <Features features={row['features']} />
    </>
  );
}

export function SrdEntry({
  type,
  data,
  monster,
  headingRef,
  headingLevel = 2,
  label = 'Details',
}: {
  type: string;
  data: unknown;
  monster: MonsterView | null;
  headingRef?: React.Ref<HTMLHeadingElement>;
  /** The card's heading level (a card inside a character sheet's section sits lower than the SRD screen's). */
  headingLevel?: 2 | 3 | 4;
  label?: string;
}) {
  const row = rec(data);
  const H = `h${headingLevel}` as const;
  return (
    <article className={`card srd-entry srd-${type}`} aria-label={label}>
      <H ref={headingRef} tabIndex={-1}>
        {str(row['name'])}
      </H>
      {type === 'spell' && <Spell row={row} />}
      {type === 'item' && <Item row={row} />}
      {type === 'class' && <Class row={row} />}
      {type === 'subclass' && <Subclass row={row} />}
      {type === 'species' && <Species row={row} />}
      {type === 'background' && <Background row={row} />}
      {type === 'feat' && <Feat row={row} />}
      {type === 'creature' && monster && <StatBlockView monster={monster} />}
    </article>
  );
}
