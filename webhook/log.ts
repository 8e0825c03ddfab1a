/**
 * Structured logs: one JSON object per line on stdout, one line per event. Fields are plain values;
 * bigints become decimal strings so byte counts stay exact.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  /** `event` is a stable kebab-case name (`pvc-patched`); `msg` the sentence for people. */
  log(level: LogLevel, event: string, msg: string, fields?: Record<string, unknown>): void;
  enabled(level: LogLevel): boolean;
}

export interface JsonLoggerOptions {
  write?: (line: string) => void;
  now?: () => Date;
  level?: LogLevel;
}

export function jsonLogger(opts: JsonLoggerOptions = {}): Logger {
  const write = opts.write ?? ((line: string) => void process.stdout.write(line));
  const now = opts.now ?? (() => new Date());
  const min = RANK[opts.level ?? 'info'];
  return {
    enabled: (level) => RANK[level] >= min,
    log(level, event, msg, fields = {}) {
      if (RANK[level] < min) return;
      write(`${JSON.stringify({ time: now().toISOString(), level, event, msg, ...fields }, replacer)}\n`);
    },
  };
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { message: value.message, stack: value.stack };
  return value;
}

export function isLogLevel(s: string): s is LogLevel {
  return s in RANK;
}
