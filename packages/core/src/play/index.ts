/** Live play (issue 11): encounter builder, combat tracker with the DM as referee, intents. */
export * from './schema';
export * from './encounter';
export * as combatRules from './combat';
export {
  createPlay,
  INTENT_ACTIONS,
  type Play,
  type PlayOptions,
  type CombatView,
  type IntentRow,
  type StartInput,
} from './service';
