/**
 * Accuracy of the CR estimator against printed CRs, and the grid search that fits `CALIBRATED_PARAMS`
 * (run `npx tsx packages/rules-5e/bench/cr-fit.ts`). Shared by the bench and the fit script.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  crFeatures,
  crIndex,
  estimateCr,
  fromDnd5eApiMonster,
  type Creature,
  type CrOptions,
  type CrParams,
} from '../src/index';

/** The vendored SRD 5.1 (2014) monsters, dnd5eapi format (`resources/eval/cr-2014/`, CC-BY-4.0). */
export const CR_2014_FILE = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'resources',
  'eval',
  'cr-2014',
  '5e-SRD-Monsters.json',
);

/** The raw 2014 monsters (dnd5eapi JSON objects), in file order. */
export function load2014Raw(): Record<string, unknown>[] {
  return JSON.parse(readFileSync(CR_2014_FILE, 'utf8')) as Record<string, unknown>[];
}

/** The 2014 monsters converted with their printed CR kept (the CR the estimate is scored against). */
export function load2014(): Creature[] {
  return load2014Raw().map((m) => fromDnd5eApiMonster(m));
}

/** FNV-1a 32-bit hash of a string (the fixed split rule; no randomness). */
export function nameHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A 32-bit finaliser (MurmurHash3's fmix32) over `nameHash`: FNV-1a's low bits barely change with a one-character
 * prefix, so cross-validation folds taken from them repeat (4 distinct partitions in 10 repetitions).
 */
export function mixHash(text: string): number {
  let h = nameHash(text);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The fixed split of the 2014 set: a monster is in the tuning half when the FNV-1a hash of its name is even,
 * in the held-out half when it is odd. Every form of a shape-changer ("Vampire, Bat Form") is split by the name
 * before the comma, so that no creature has forms on both sides.
 */
export function splitByNameHash<T extends { name: string }>(list: readonly T[]): { tune: T[]; heldOut: T[] } {
  const tune: T[] = [];
  const heldOut: T[] = [];
  for (const c of list) {
    const base = c.name.split(',')[0]!.trim().toLowerCase();
    (nameHash(base) % 2 === 0 ? tune : heldOut).push(c);
  }
  return { tune, heldOut };
}

export interface Accuracy {
  n: number;
  exact: number;
  withinOne: number;
  /** Mean signed error in ladder steps (estimate − printed). */
  bias: number;
  /** Mean absolute error in ladder steps. */
  mae: number;
}

export function accuracy(creatures: readonly Creature[], options: CrOptions): Accuracy {
  let exact = 0;
  let within = 0;
  let bias = 0;
  let abs = 0;
  for (const c of creatures) {
    const d = crIndex(estimateCr(c, options).cr) - crIndex(c.cr);
    if (d === 0) exact++;
    if (Math.abs(d) <= 1) within++;
    bias += d;
    abs += Math.abs(d);
  }
  const n = creatures.length || 1;
  return { n: creatures.length, exact: exact / n, withinOne: within / n, bias: bias / n, mae: abs / n };
}

/**
 * Extra terms the fit keeps at zero (0: legendary action uses, 1: Legendary Resistance uses, 2: highest slot
 * level, 3: hard control). The 2014 fit keeps the slot level at zero: with spells priced by their damage the DMG
 * adds nothing for them, and the tuning half has too few slot casters to fit it.
 */
export const EXTRA_TERMS_OFF: number[] = [];

/**
 * Options of the fit: `robust` solves the least squares with Huber weights (residuals beyond `huber` ladder
 * steps count linearly, by iteratively reweighted least squares), so that a few creatures far off the line do
 * not pull it; `controlSpellShares` are the values of `offense.controlSpellShare` the joint search tries
 * (empty: the parameter is not searched).
 */
export const FIT_OPTIONS: { robust: boolean; huber: number; controlSpellShares: number[] } = {
  robust: false,
  huber: 1,
  controlSpellShares: [],
};

/** Weights of the training score (`score`); the 2024 fit keeps the defaults. */
export const SCORE_WEIGHTS = { exact: 1, withinOne: 0.5, mae: 0.05 };

/** Training score: by default exact matches first, then within-one, then small absolute error. */
export function score(a: Accuracy): number {
  return SCORE_WEIGHTS.exact * a.exact + SCORE_WEIGHTS.withinOne * a.withinOne - SCORE_WEIGHTS.mae * a.mae;
}

export const evenIndexed = <T>(list: readonly T[]): T[] => list.filter((_, i) => i % 2 === 0);
export const oddIndexed = <T>(list: readonly T[]): T[] => list.filter((_, i) => i % 2 === 1);

type Grid = { [K in keyof CrParams]?: readonly CrParams[K][] };

/** The search space (values tried per parameter; offense sub-parameters are tried as whole objects). */
export const SEARCH_SPACE: Grid = {
  hpScale: [0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.4],
  dprScale: [0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2],
  acShift: [-2, -1, 0, 1, 2],
  attackShift: [-3, -2, -1, 0, 1, 2],
  dcShift: [-3, -2, -1, 0, 1, 2],
  resistanceMinTypes: [1, 2, 3, 4, 99],
  offenseWeight: [0.3, 0.4, 0.5, 0.6, 0.7],
  combine: ['value', 'index'],
  finalShift: [-1, -0.5, 0, 0.5, 1],
};

export const OFFENSE_SPACE: CrParams['offense'][] = [];
for (const recharge of ['once', 'expected'] as const)
  for (const legendaryOncePerRound of [false, true])
    for (const legendaryShare of [0.5, 1])
      for (const reactions of [false, true])
        OFFENSE_SPACE.push({ areaTargets: 2, recharge, reactions, legendaryShare, legendaryOncePerRound });

/**
 * Coordinate descent from `start`: try every value of one parameter with the others fixed, keep the best,
 * cycle until nothing improves. Deterministic (fixed order, first best kept on ties).
 */
export function fit(
  train: readonly Creature[],
  start: CrParams,
  rounds = 4,
  base: CrOptions = {},
): { params: CrParams; train: Accuracy } {
  let best = start;
  let bestScore = score(accuracy(train, { ...base, params: best }));
  for (let r = 0; r < rounds; r++) {
    let improved = false;
    for (const key of Object.keys(SEARCH_SPACE) as (keyof Grid)[]) {
      for (const value of SEARCH_SPACE[key] ?? []) {
        const candidate = { ...best, [key]: value } as CrParams;
        const s = score(accuracy(train, { ...base, params: candidate }));
        if (s > bestScore + 1e-9) {
          best = candidate;
          bestScore = s;
          improved = true;
        }
      }
    }
    for (const offense of OFFENSE_SPACE) {
      const candidate = { ...best, offense };
      const s = score(accuracy(train, { ...base, params: candidate }));
      if (s > bestScore + 1e-9) {
        best = candidate;
        bestScore = s;
        improved = true;
      }
    }
    if (!improved) break;
  }
  return { params: best, train: accuracy(train, { ...base, params: best }) };
}

/**
 * Solve the least-squares problem X·b ≈ y by the normal equations (Gaussian elimination with pivoting), each row
 * weighted by `w` (default 1).
 */
export function leastSquares(X: readonly number[][], y: readonly number[], w?: readonly number[]): number[] {
  const k = X[0]?.length ?? 0;
  const A = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  X.forEach((row, n) => {
    const wn = w?.[n] ?? 1;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) A[i]![j]! += wn * row[i]! * row[j]!;
      A[i]![k]! += wn * row[i]! * y[n]!;
    }
  });
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[piv]![c]!)) piv = r;
    [A[c], A[piv]] = [A[piv]!, A[c]!];
    const d = A[c]![c]!;
    if (Math.abs(d) < 1e-12) continue;
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / d;
      for (let j = c; j <= k; j++) A[r]![j]! -= f * A[c]![j]!;
    }
  }
  return A.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[k]! / row[i]!));
}

/**
 * Fit the linear model: features from `base` (its HP/DPR interpretation), coefficients by least squares on the
 * printed CR's ladder position, then a small search over `finalShift`. Two passes, because the features depend
 * on the expected CR, which depends on the model.
 */
/**
 * Extra training data of another edition (the 2024 SRD creatures for the 2014 fit): its rows join the least
 * squares with `columns(features)` appended (zeros for the main rows: an edition indicator and interactions),
 * whose coefficients are not kept; the training score stays on the main set.
 */
export interface AuxiliaryData {
  creatures: readonly Creature[];
  columns: (features: readonly number[]) => number[];
  width: number;
}

export function fitLinear(
  train: readonly Creature[],
  start: CrParams,
  extra = false,
  base: CrOptions = {},
  aux?: AuxiliaryData,
): { params: CrParams; train: Accuracy } {
  let params: CrParams = { ...start, model: 'linear' };
  for (let pass = 0; pass < 2; pass++) {
    const X: number[][] = [];
    const y: number[] = [];
    const zeros = new Array<number>(aux?.width ?? 0).fill(0);
    for (const [list, isAux] of [
      [train, false],
      [aux?.creatures ?? [], true],
    ] as const) {
      for (const c of list) {
        const f = crFeatures(c, { ...base, params: pass === 0 ? start : params });
        const row = extra ? [1, ...f] : [1, ...f.slice(0, 4)];
        X.push([...row, ...(isAux && aux ? aux.columns(f) : zeros)]);
        y.push(crIndex(c.cr));
      }
    }
    // The extra terms (legendary actions, Legendary Resistance, slot level, hard control) can only make a
    // creature more dangerous: a term that comes out negative is dropped (fixed at 0) and the rest refitted.
    const solve = (w?: readonly number[]): number[] => {
      let b = leastSquares(X, y, w);
      const dropped = extra
        ? [5, 6, 7, 8].filter((i) => (b[i] ?? 0) < 0 || EXTRA_TERMS_OFF.includes(i - 5))
        : [];
      if (dropped.length > 0) {
        const keep = X[0]!.map((_, i) => i).filter((i) => !dropped.includes(i));
        const sub = leastSquares(
          X.map((row) => keep.map((i) => row[i]!)),
          y,
          w,
        );
        b = X[0]!.map((_, i) => (keep.includes(i) ? sub[keep.indexOf(i)]! : 0));
      }
      return b;
    };
    let b = solve();
    if (FIT_OPTIONS.robust) {
      // Huber weights by iteratively reweighted least squares (a fixed number of passes: deterministic).
      for (let it = 0; it < 8; it++) {
        const w = X.map((row, n) => {
          const r = Math.abs(row.reduce((acc, x, i) => acc + x * (b[i] ?? 0), 0) - y[n]!);
          return r <= FIT_OPTIONS.huber ? 1 : FIT_OPTIONS.huber / r;
        });
        b = solve(w);
      }
    }
    b = b.map((x) => Math.round(x * 1e4) / 1e4);
    params = {
      ...params,
      finalShift: 0,
      coefficients: [b[0] ?? 0, b[1] ?? 0, b[2] ?? 0, b[3] ?? 0, b[4] ?? 0],
      ...(extra ? { extraCoefficients: [b[5] ?? 0, b[6] ?? 0, b[7] ?? 0, b[8] ?? 0] as const } : {}),
    };
  }
  let best = params;
  let bestScore = score(accuracy(train, { ...base, params }));
  for (const finalShift of [-0.3, -0.2, -0.1, 0.1, 0.2, 0.3]) {
    const candidate = { ...params, finalShift };
    const s = score(accuracy(train, { ...base, params: candidate }));
    if (s > bestScore + 1e-9) {
      best = candidate;
      bestScore = s;
    }
  }
  return { params: best, train: accuracy(train, { ...base, params: best }) };
}

/** Coordinate descent over the input parameters, refitting the linear coefficients for every candidate. */
export function fitJoint(
  train: readonly Creature[],
  start: CrParams,
  rounds = 3,
  extra = false,
  base: CrOptions = {},
  aux?: AuxiliaryData,
): { params: CrParams; train: Accuracy } {
  let best = fitLinear(train, start, extra, base, aux).params;
  let bestScore = score(accuracy(train, { ...base, params: best }));
  const keys = (Object.keys(SEARCH_SPACE) as (keyof Grid)[]).filter(
    (k) => k !== 'offenseWeight' && k !== 'combine' && k !== 'finalShift',
  );
  for (let r = 0; r < rounds; r++) {
    let improved = false;
    const candidates: CrParams[] = [];
    for (const key of keys)
      for (const value of SEARCH_SPACE[key] ?? []) candidates.push({ ...best, [key]: value } as CrParams);
    // The 2014 fit (extra terms) also tries weakening the resistance/immunity multiplier.
    if (extra) for (const resistancePower of [0, 0.5, 1]) candidates.push({ ...best, resistancePower });
    for (const offense of OFFENSE_SPACE)
      candidates.push({
        ...best,
        offense:
          best.offense.controlSpellShare === undefined
            ? offense
            : { ...offense, controlSpellShare: best.offense.controlSpellShare },
      });
    for (const controlSpellShare of FIT_OPTIONS.controlSpellShares)
      candidates.push({ ...best, offense: { ...best.offense, controlSpellShare } });
    for (const c of candidates) {
      const fitted = fitLinear(train, { ...c, model: 'steps' }, extra, base, aux).params;
      const s = score(accuracy(train, { ...base, params: fitted }));
      if (s > bestScore + 1e-9) {
        best = fitted;
        bestScore = s;
        improved = true;
      }
    }
    if (!improved) break;
  }
  return { params: best, train: accuracy(train, { ...base, params: best }) };
}
