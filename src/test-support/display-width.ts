import fastStringWidth from 'fast-string-width';

/** How many terminal columns a line takes, measured independently of chartkeeper's tables. */
export function displayWidthOf(text: string): number {
  return fastStringWidth(text);
}
