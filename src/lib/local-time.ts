const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as a person reads it in a time zone: "2026-11-29 14:05:09" (no zone: callers name
 * the zone once, in a heading or after the time). An unreadable value is shown as it is.
 */
export function localTime(iso: string | null, timeZone: string, seconds = true): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // UTC needs no time zone data (loading it costs a few milliseconds of start-up).
  if (timeZone === 'UTC')
    return date
      .toISOString()
      .slice(0, seconds ? 19 : 16)
      .replace('T', ' ');
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  const time = `${part.hour}:${part.minute}${seconds ? `:${part.second}` : ''}`;
  return `${part.year}-${part.month}-${part.day} ${time}`;
}

/** An instant with its zone named: "2026-11-29 14:05 Europe/Berlin". */
export function localTimeWithZone(iso: string | null, timeZone: string): string {
  return iso ? `${localTime(iso, timeZone, false)} ${timeZone}` : '';
}
