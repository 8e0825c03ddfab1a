/**
 * The language client's view of the one log channel. vscode-languageclient 9 writes plain lines such as
 * "[Error - 10:42:01 AM] message" or "[Trace - …] Sending request …" (plus continuation lines) to its output
 * channel; this adapter logs them at the matching level of the LogOutputChannel, without the second timestamp.
 */
import type { LogOutputChannel, OutputChannel, ViewColumn } from 'vscode';

type Level = 'error' | 'warn' | 'info' | 'debug';

const header = /^\[(Error|Warn|Info|Debug|Trace|LSP)\s*- [^\]]*\] ?/;

// Protocol trace is logged at info: the user asked for it with `kubevirtStorage.trace.server`, and at the
// channel's trace level it would stay hidden under the default log level.
const levels: Record<'Error' | 'Warn' | 'Info' | 'Debug' | 'Trace' | 'LSP', Level> = { Error: 'error', Warn: 'warn', Info: 'info', Debug: 'debug', Trace: 'info', LSP: 'info' };

/** An OutputChannel for `LanguageClientOptions.outputChannel` that writes to `log` with levels. */
export function languageClientChannel(log: LogOutputChannel): OutputChannel {
  let pending = '';
  let level: Level = 'info';
  const write = (text: string): void => {
    const m = header.exec(text);
    // Text without a header continues the previous message (error data, trace params, server stderr).
    if (m) level = levels[m[1] as keyof typeof levels] ?? 'info';
    log[level](m ? text.slice(m[0].length) : text);
  };
  return {
    name: log.name,
    // Server stdout/stderr arrive through append() in arbitrary chunks: log complete lines, keep the rest.
    append(value: string): void {
      pending += value;
      const end = pending.lastIndexOf('\n');
      if (end < 0) return;
      const complete = pending.slice(0, end);
      pending = pending.slice(end + 1);
      if (complete.trim() !== '') write(complete);
    },
    appendLine(value: string): void {
      const text = pending + value;
      pending = '';
      write(text);
    },
    replace(value: string): void {
      pending = '';
      log.replace(value);
    },
    clear(): void {
      log.clear();
    },
    show(columnOrPreserveFocus?: ViewColumn | boolean, preserveFocus?: boolean): void {
      if (typeof columnOrPreserveFocus === 'number') log.show(columnOrPreserveFocus, preserveFocus);
      else log.show(columnOrPreserveFocus);
    },
    hide(): void {
      log.hide();
    },
    dispose(): void {
      // The extension owns the channel and disposes it; the client must not.
    },
  };
}
