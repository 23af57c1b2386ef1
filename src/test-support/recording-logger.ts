import type { LogFields, Logger } from '../domain/ports/observability.js';

export interface RecordedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: LogFields;
}

/** A logger that keeps every line (with its child loggers' fields) for a test to read. */
export function recordingLogger(): Logger & { lines: RecordedLine[]; messages: string[] } {
  const lines: RecordedLine[] = [];
  const messages: string[] = [];
  const make = (bindings: LogFields): Logger => {
    const at =
      (level: RecordedLine['level']) =>
      (first: string | LogFields, second?: string): void => {
        const [fields, message] = typeof first === 'string' ? [{}, first] : [first, second ?? ''];
        lines.push({ level, message, fields: { ...bindings, ...fields } });
        messages.push(message);
      };
    return {
      child: (more) => make({ ...bindings, ...more }),
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
    };
  };
  return Object.assign(make({}), { lines, messages });
}
