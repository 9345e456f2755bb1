/**
 * Fit the calibrated CR parameters: `npx tsx packages/rules-5e/bench/cr-fit.ts [creatures.json]`.
 * Fits on even-indexed SRD creatures (in file order), reports the odd-indexed ones as held out, and prints the
 * parameters to paste into `src/cr/calibration.ts`.
 */
import { readFileSync } from 'node:fs';
import { CreatureSchema, DMG2014_PARAMS, type Creature } from '../src/index';
import { accuracy, evenIndexed, fit, fitJoint, fitLinear, oddIndexed } from './cr-accuracy';

async function creatures(): Promise<Creature[]> {
  const path = process.argv[2];
  if (path && !path.startsWith('--'))
    return (JSON.parse(readFileSync(path, 'utf8')) as unknown[]).map((c) => CreatureSchema.parse(c));
  const { loadSrdData } = await import('../test/srd');
  return loadSrdData().creatures;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

async function main(): Promise<void> {
  const all = await creatures();
  const train = evenIndexed(all);
  const test = oddIndexed(all);
  const plain = { method: 'dmg2014' as const };
  const stepsFit = fit(train, DMG2014_PARAMS).params;
  const linearFit = fitLinear(train, stepsFit).params;
  const linearFromPlain = fitLinear(train, DMG2014_PARAMS).params;
  const joint = process.argv.includes('--joint') ? fitJoint(train, stepsFit).params : undefined;
  for (const [label, params] of [
    ['steps', stepsFit],
    ['linear on fitted inputs', linearFit],
    ['linear on DMG inputs', linearFromPlain],
    ...(joint ? ([['joint', joint]] as const) : []),
  ] as const) {
    process.stdout.write(`--- ${label}\n`);
    for (const [name, set] of [
      ['train (even)', train],
      ['held out (odd)', test],
      ['all', all],
    ] as const) {
      const p = accuracy(set, plain);
      const c = accuracy(set, { params });
      process.stdout.write(
        `${name.padEnd(15)} n=${p.n}  dmg2014 exact ${pct(p.exact)} ±1 ${pct(p.withinOne)} bias ${p.bias.toFixed(2)}` +
          `  | fitted exact ${pct(c.exact)} ±1 ${pct(c.withinOne)} bias ${c.bias.toFixed(2)}\n`,
      );
    }
    process.stdout.write(`${JSON.stringify(params)}\n`);
  }
  if (process.argv.includes('--reverse')) {
    // Second fold: fit on odd, score on even, to see how much the held-out number depends on the split.
    const rev = fitJoint(test, fit(test, DMG2014_PARAMS).params).params;
    const a = accuracy(train, { params: rev });
    process.stdout.write(
      `reverse fold (fit odd, score even): exact ${pct(a.exact)} ±1 ${pct(a.withinOne)}\n`,
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
