/**
 * Structured logs: one JSON object per line on stdout, one line per event. Fields are plain values;
 * bigints become decimal strings so byte counts stay exact. Every string is bounded (`MAX_LOGGED_CHARS`, a stack
 * `MAX_LOGGED_STACK_CHARS`): fields come from requests, and a 64 KB `uid` must not become a 64 KB log line.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Longest string logged as it is; a longer one keeps this many characters and says how many it dropped. */
export const MAX_LOGGED_CHARS = 512;
export const MAX_LOGGED_STACK_CHARS = 4096;

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

function replacer(key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { message: value.message, stack: value.stack };
  if (typeof value === 'string') return bounded(value, key === 'stack' ? MAX_LOGGED_STACK_CHARS : MAX_LOGGED_CHARS);
  return value;
}

/** `text` cut to `max` characters (never inside a surrogate pair), with the number dropped. */
export function bounded(text: string, max: number = MAX_LOGGED_CHARS): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return `${text.slice(0, end)}…(${text.length - end} more characters)`;
}

export function isLogLevel(s: string): s is LogLevel {
  return Object.hasOwn(RANK, s);
}
