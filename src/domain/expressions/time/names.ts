/**
 * English texts of the pattern letters (Java's Locale.US data, as PingOne's documented outputs
 * show: `Friday`, `January`, `PM`, `1st quarter`) and the zone names `z` parses.
 */

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** ISO order: Monday first. */
export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const QUARTERS = ['1st quarter', '2nd quarter', '3rd quarter', '4th quarter'];
export const AM_PM = ['AM', 'PM'];

/** The text of a value (1-based) in Java's text styles: 3 letters short, 4 full, 5 narrow. */
export function textOf(names: readonly string[], value: number, count: number): string {
  const full = names[value - 1] as string;
  if (count === 4) return full;
  if (count === 5) return full.slice(0, 1);
  return full.slice(0, 3);
}

/**
 * The texts that may be parsed for a style, with their 1-based values; a narrow text shared by
 * two values (`J` for January, June and July) cannot be parsed.
 */
export function parsableTexts(names: readonly string[], count: number): Array<[string, number]> {
  const texts = names.map((_, i) => textOf(names, i + 1, count));
  return texts.flatMap((text, i) => (texts.indexOf(text) === texts.lastIndexOf(text) ? [[text, i + 1] as [string, number]] : []));
}

/**
 * Zone names `z` parses, as Java's zone text parser maps them for Locale.US: the North American
 * abbreviations and names to their region, the UTC names to UTC.
 */
export const ZONE_NAMES: ReadonlyArray<[string, string]> = [
  ['Pacific Standard Time', 'America/Los_Angeles'], ['Pacific Daylight Time', 'America/Los_Angeles'],
  ['Mountain Standard Time', 'America/Denver'], ['Mountain Daylight Time', 'America/Denver'],
  ['Central Standard Time', 'America/Chicago'], ['Central Daylight Time', 'America/Chicago'],
  ['Eastern Standard Time', 'America/New_York'], ['Eastern Daylight Time', 'America/New_York'],
  ['Alaska Standard Time', 'America/Anchorage'], ['Alaska Daylight Time', 'America/Anchorage'],
  ['Hawaii Standard Time', 'Pacific/Honolulu'],
  ['Coordinated Universal Time', 'UTC'], ['Greenwich Mean Time', 'GMT'],
  ['AKST', 'America/Anchorage'], ['AKDT', 'America/Anchorage'],
  ['PST', 'America/Los_Angeles'], ['PDT', 'America/Los_Angeles'],
  ['MST', 'America/Denver'], ['MDT', 'America/Denver'],
  ['CST', 'America/Chicago'], ['CDT', 'America/Chicago'],
  ['EST', 'America/New_York'], ['EDT', 'America/New_York'],
  ['HST', 'Pacific/Honolulu'],
];
