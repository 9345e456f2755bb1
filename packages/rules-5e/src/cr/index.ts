export {
  estimateCr,
  crFeatures,
  imposesHardControl,
  nearestCr,
  DMG2014_PARAMS,
  type CrEstimate,
  type CrMethod,
  type CrOptions,
  type CrParams,
} from './estimate';
export { CALIBRATED_PARAMS, CALIBRATED_PARAMS_2014 } from './calibration';
export {
  offensePlan,
  actionParts,
  HARD_CONTROL_SPELLS,
  DMG_SPELL_DAMAGE_2014,
  type DamagePart,
  type OffenseParams,
  type OffensePlan,
  type SpellLookup,
} from './damage';
