/** Command-line arguments of web mode: `[--port P] [--data-dir DIR] [--rebuild]`. */
export interface WebArgs {
  port: number;
  dataDir: string | null;
  rebuild: boolean;
}

export class ArgsError extends Error {}

export function parseWebArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): WebArgs {
  const out: WebArgs = { port: 0, dataDir: env['LOREFORGE_DATA_DIR'] ?? null, rebuild: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] as string;
    const [flag, inline] =
      raw.startsWith('--') && raw.includes('=')
        ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)]
        : [raw, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new ArgsError(`${flag}: needs a value`);
      return v;
    };
    if (flag === '--') continue;
    else if (flag === '--port') {
      const v = value();
      const n = Number(v);
      if (!/^\d+$/.test(v) || n > 65535)
        throw new ArgsError(`--port: expected a whole number 0–65535, got "${v}"`);
      out.port = n;
    } else if (flag === '--data-dir') out.dataDir = value();
    else if (flag === '--rebuild') out.rebuild = true;
    else throw new ArgsError(`${flag}: unknown option (expected --port, --data-dir, --rebuild)`);
  }
  return out;
}
