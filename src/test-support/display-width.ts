import stringWidth from 'string-width';

/** How many terminal columns a line takes, measured independently of chartkeeper's tables. */
export function displayWidthOf(text: string): number {
  return stringWidth(text);
}
