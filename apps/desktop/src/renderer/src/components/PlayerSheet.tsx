/**
 * The sheet as a player reads it at the table (issue 14 item 7): features by level (class and subclass features
 * up to the character's level), spells with their cards (the SRD entry card opens under each spell), and the
 * inventory (quantity, equipped, weight, the item's card). Facts come from the SRD through `srd.get`; anything
 * not in the SRD (custom or re-skinned content) shows under the character's own name for it.
 */
import type { Build } from '@loreforge/rules-5e';
import { useEffect, useState } from 'react';
import { call } from '../bridge';
import { displayName, humanize } from '../words';
import { SrdEntry } from './SrdEntry';

type Row = Record<string, unknown>;
type SrdKind = 'spell' | 'item' | 'class' | 'subclass';
export interface SheetElement {
  kind: string;
  name: string;
  id?: string | undefined;
}

const key = (type: SrdKind, id: string) => `${type}:${id}`;
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown) => (typeof v === 'number' ? v : null);
const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

/** SRD rows for the given entries: `undefined` while loading, `null` when the SRD has no such entry. */
function useSrdRows(wanted: readonly [SrdKind, string][]): Map<string, Row | null> {
  const [rows, setRows] = useState<Map<string, Row | null>>(new Map());
  const sig = wanted.map(([t, id]) => key(t, id)).join('|');
  useEffect(() => {
    let live = true;
    const unique = [...new Set(sig ? sig.split('|') : [])];
    void Promise.all(
      unique.map(async (k) => {
        const [type, ...rest] = k.split(':');
        const id = rest.join(':');
        try {
          const r = await call('srd.get', { type: type as SrdKind, id });
          return [k, r.data as Row] as const;
        } catch {
          return [k, null] as const;
        }
      }),
    ).then((entries) => {
      if (live) setRows(new Map(entries));
    });
    return () => {
      live = false;
    };
  }, [sig]);
  return rows;
}

export function PlayerSheet({ build, elements }: { build: Build; elements: readonly SheetElement[] }) {
  const spellGroups = [
    ...(build.spells ?? []).map((s) => ({
      label: `${humanize(s.class)} spells`,
      ids: [...s.cantrips, ...s.prepared],
    })),
    ...(build.grantedSpells ?? []).map((g) => ({
      label: `Spells from ${nameOf(elements, g.source.kind === 'feat' ? 'feat' : '', g.source.id)}`,
      ids: [...g.cantrips, ...g.spells],
    })),
  ].filter((g) => g.ids.length > 0);
  const wanted: [SrdKind, string][] = [
    ...build.classes.map((c) => ['class', c.class] as [SrdKind, string]),
    ...build.classes.flatMap((c) => (c.subclass ? [['subclass', c.subclass] as [SrdKind, string]] : [])),
    ...spellGroups.flatMap((g) => g.ids.map((id) => ['spell', id] as [SrdKind, string])),
    ...build.equipment.map((e) => ['item', e.item] as [SrdKind, string]),
  ];
  const rows = useSrdRows(wanted);
  const loading = rows.size === 0 && wanted.length > 0;
  return (
    <div className="player-sheet">
      <FeaturesByLevel build={build} rows={rows} elements={elements} loading={loading} />
      <Spells groups={spellGroups} rows={rows} elements={elements} loading={loading} />
      <Inventory build={build} rows={rows} elements={elements} loading={loading} />
    </div>
  );
}

/** The character's name for an element (re-skins keep theirs), else the SRD name, else the id in words. */
function nameOf(elements: readonly SheetElement[], kind: string, id: string, row?: Row | null): string {
  const own = elements.find((e) => (kind === '' || e.kind === kind) && e.id === id)?.name;
  if (own) return displayName(own);
  return str(row?.['name']) || humanize(id);
}

function FeaturesByLevel({
  build,
  rows,
  elements,
  loading,
}: {
  build: Build;
  rows: Map<string, Row | null>;
  elements: readonly SheetElement[];
  loading: boolean;
}) {
  return (
    <section aria-label="Features by level" className="card">
      <h3>Features by level</h3>
      {loading && <p role="status">Loading features…</p>}
      {!loading &&
        build.classes.map((c) => {
          const cls = rows.get(key('class', c.class));
          const sub = c.subclass ? rows.get(key('subclass', c.subclass)) : null;
          const features = [
            ...(Array.isArray(cls?.['features']) ? (cls['features'] as Row[]) : []),
            ...(Array.isArray(sub?.['features']) ? (sub['features'] as Row[]) : []),
          ].filter((f) => (num(f['level']) ?? 99) <= c.level);
          const byLevel = new Map<number, Row[]>();
          for (const f of features) {
            const lvl = num(f['level']) ?? 1;
            byLevel.set(lvl, [...(byLevel.get(lvl) ?? []), f]);
          }
          const className = nameOf(elements, 'class', c.class, cls);
          const title = `${className} ${c.level}${c.subclass ? ` (${nameOf(elements, 'subclass', c.subclass, sub)})` : ''}`;
          return (
            <div key={c.class} role="group" aria-label={`${className} features`}>
              <h4>{title}</h4>
              {byLevel.size === 0 ? (
                <p className="muted">No class features found for this class.</p>
              ) : (
                <ol className="features-by-level">
                  {[...byLevel.entries()]
                    .sort(([a], [b]) => a - b)
                    .map(([lvl, fs]) => (
                      <li key={lvl} aria-label={`Level ${lvl}`}>
                        <strong>Level {lvl}</strong>
                        <dl className="features">
                          {fs.map((f) => (
                            <div key={str(f['id']) || str(f['name'])}>
                              <dt>{str(f['name'])}</dt>
                              <dd>{str(f['summary'])}</dd>
                            </div>
                          ))}
                        </dl>
                      </li>
                    ))}
                </ol>
              )}
            </div>
          );
        })}
    </section>
  );
}

function Spells({
  groups,
  rows,
  elements,
  loading,
}: {
  groups: { label: string; ids: string[] }[];
  rows: Map<string, Row | null>;
  elements: readonly SheetElement[];
  loading: boolean;
}) {
  return (
    <section aria-label="Spells" className="card">
      <h3>Spells</h3>
      {groups.length === 0 && <p className="muted">No spells.</p>}
      {loading && groups.length > 0 && <p role="status">Loading spells…</p>}
      {!loading &&
        groups.map((g) => {
          const spells = [...new Set(g.ids)]
            .map((id) => ({ id, row: rows.get(key('spell', id)) ?? null }))
            .sort(
              (a, b) =>
                (num(a.row?.['level']) ?? 0) - (num(b.row?.['level']) ?? 0) ||
                nameOf(elements, 'spell', a.id, a.row).localeCompare(nameOf(elements, 'spell', b.id, b.row)),
            );
          return (
            <div key={g.label} role="group" aria-label={g.label}>
              <h4>{g.label}</h4>
              <ul className="spell-cards">
                {spells.map(({ id, row }) => {
                  const name = nameOf(elements, 'spell', id, row);
                  const level = num(row?.['level']);
                  return (
                    <li key={id}>
                      <details>
                        <summary>
                          {name}{' '}
                          <small className="muted">
                            {level === null
                              ? 'not in the SRD'
                              : level === 0
                                ? 'cantrip'
                                : `${ordinal(level)} level`}
                            {row?.['concentration'] ? ' · concentration' : ''}
                            {row?.['ritual'] ? ' · ritual' : ''}
                          </small>
                        </summary>
                        {row ? (
                          <SrdEntry
                            type="spell"
                            data={row}
                            monster={null}
                            headingLevel={4}
                            label={`${name} card`}
                          />
                        ) : (
                          <p className="muted">No SRD card: this spell is the character’s own.</p>
                        )}
                      </details>
                    </li>
                  );
                })}
              </ul>
            </div>
          );
        })}
    </section>
  );
}

function Inventory({
  build,
  rows,
  elements,
  loading,
}: {
  build: Build;
  rows: Map<string, Row | null>;
  elements: readonly SheetElement[];
  loading: boolean;
}) {
  const entries = build.equipment.map((e, i) => {
    const row = rows.get(key('item', e.item)) ?? null;
    const qty = e.quantity ?? 1;
    const weight = num(row?.['weight']);
    return { i, e, row, qty, weight: weight === null ? null : weight * qty };
  });
  const total = entries.reduce((n, x) => n + (x.weight ?? 0), 0);
  return (
    <section aria-label="Inventory" className="card">
      <h3>Inventory</h3>
      {entries.length === 0 ? (
        <p className="muted">Carries nothing.</p>
      ) : loading ? (
        <p role="status">Loading inventory…</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Quantity</th>
              <th scope="col">Equipped</th>
              <th scope="col">Weight</th>
            </tr>
          </thead>
          <tbody>
            {entries.map(({ i, e, row, qty, weight }) => {
              const name = nameOf(elements, 'item', e.item, row);
              return (
                <tr key={`${e.item}-${i}`}>
                  <th scope="row">
                    {row ? (
                      <details>
                        <summary>{name}</summary>
                        <SrdEntry
                          type="item"
                          data={row}
                          monster={null}
                          headingLevel={4}
                          label={`${name} card`}
                        />
                      </details>
                    ) : (
                      name
                    )}
                  </th>
                  <td>{qty}</td>
                  <td>{e.equipped ? 'Equipped' : '—'}</td>
                  <td>{weight === null ? '—' : `${formatWeight(weight)} lb.`}</td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td colSpan={2} />
              <td>{formatWeight(total)} lb.</td>
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}

const formatWeight = (w: number) => (Number.isInteger(w) ? String(w) : w.toFixed(2).replace(/0+$/, ''));
