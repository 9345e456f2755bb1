/**
 * Parameters of the calibrated CR method, fitted to the SRD 5.2.1 creatures by `bench/cr-fit.ts` (grid search on
 * even-indexed creatures, scored on odd-indexed ones). See CONTEXT.md "CR estimation" for the numbers.
 */
import type { CrParams } from './estimate';

export const CALIBRATED_PARAMS: CrParams = {
  hpScale: 1,
  dprScale: 1,
  acShift: 0,
  attackShift: 0,
  dcShift: 0,
  stepPoints: 2,
  resistanceMinTypes: 3,
  offenseWeight: 0.5,
  combine: 'value',
  finalShift: 0,
  offense: { areaTargets: 2, recharge: 'once', reactions: true, legendaryShare: 1 },
};
