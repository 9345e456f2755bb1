export { runCli, processIo, helpText } from './main';
export type { CliIo, CliCommand } from './registry';
