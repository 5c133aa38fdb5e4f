/**
 * Reads text with a compiled pattern into fields, as DateTimeFormatter's strict, case-sensitive
 * parse does: the whole text must match, numbers have the widths their letters give, a
 * variable-width number leaves room for fixed-width numbers right after it (adjacent value
 * parsing, `yyyyMMdd`), and an optional section that does not match is skipped.
 */
import { AM_PM, DAYS, MONTHS, QUARTERS, ZONE_NAMES, parsableTexts } from './names.js';
import { offsetStyle, parseOffsetAt } from './offsets.js';
import type { PatternItem } from './pattern.js';
import { zoneOf, type Zone } from './zones.js';

/** Parsed values by field (the pattern letter that names it), an offset, a zone. */
export interface ParsedFields {
  values: Record<string, number>;
  offset?: number;
  zone?: Zone;
}

/** The fields of `text`, or undefined when it does not match the pattern. */
export function readPattern(items: readonly PatternItem[], text: string): ParsedFields | undefined {
  const state: ParsedFields = { values: {} };
  const end = readItems(items, text, 0, state);
  return end === text.length ? state : undefined;
}

function readItems(items: readonly PatternItem[], text: string, at: number, state: ParsedFields): number | undefined {
  let pos = at;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as PatternItem;
    let next: number | undefined;
    if (item.kind === 'text') next = text.startsWith(item.text, pos) ? pos + item.text.length : undefined;
    else if (item.kind === 'optional') next = readOptional(item.items, text, pos, state);
    else next = readField(item.letter, item.count, text, pos, state, reservedWidth(items, i + 1));
    if (next === undefined) return undefined;
    pos = next;
  }
  return pos;
}

function readOptional(items: readonly PatternItem[], text: string, at: number, state: ParsedFields): number {
  const trial: ParsedFields = { values: { ...state.values }, ...(state.offset !== undefined ? { offset: state.offset } : {}), ...(state.zone ? { zone: state.zone } : {}) };
  const end = readItems(items, text, at, trial);
  if (end === undefined) return at;
  Object.assign(state, trial);
  return end;
}

/** Width of the fixed-width numbers that directly follow (they are parsed after this one). */
function reservedWidth(items: readonly PatternItem[], from: number): number {
  let width = 0;
  for (let i = from; i < items.length; i++) {
    const item = items[i] as PatternItem;
    const fixed = item.kind === 'field' ? numberWidth(item.letter, item.count) : undefined;
    if (!fixed || fixed.min !== fixed.max) break;
    width += fixed.min;
  }
  return width;
}

/** The digits a numeric field takes, or undefined for a text or zone field. */
function numberWidth(letter: string, count: number): { min: number; max: number; exceedsPad?: true } | undefined {
  if ('yuY'.includes(letter)) return count === 2 ? { min: 2, max: 2 } : count >= 4 ? { min: count, max: 19, exceedsPad: true } : { min: count, max: 19 };
  if ('MLQq'.includes(letter) && count >= 3) return undefined;
  if (letter === 'D') return count === 2 ? { min: 2, max: 3 } : { min: count, max: count === 1 ? 19 : 3 };
  if (letter === 'S') return { min: count, max: count };
  if ('MLQqdhKkHms'.includes(letter)) return count === 2 ? { min: 2, max: 2 } : { min: 1, max: 19 };
  return undefined;
}

function readField(letter: string, count: number, text: string, at: number, state: ParsedFields, reserved: number): number | undefined {
  const width = numberWidth(letter, count);
  if (width) return readNumber(letter, count, width, text, at, state, reserved);
  switch (letter) {
    case 'M':
    case 'L':
      return readText(parsableTexts(MONTHS, count), 'M', text, at, state);
    case 'Q':
    case 'q':
      return readText(count === 3 ? [1, 2, 3, 4].map((q) => [`Q${q}`, q]) : count === 4 ? QUARTERS.map((t, i) => [t, i + 1]) : [1, 2, 3, 4].map((q) => [String(q), q]), 'Q', text, at, state);
    case 'E':
      return readText(parsableTexts(DAYS, Math.max(count, 3)), 'E', text, at, state);
    case 'a':
      return readText(AM_PM.map((t, i) => [t, i]), 'a', text, at, state);
    case 'X':
    case 'x':
    case 'Z': {
      const offset = parseOffsetAt(text, at, offsetStyle(letter, count));
      if (!offset || (state.offset !== undefined && state.offset !== offset.seconds)) return undefined;
      state.offset = offset.seconds;
      return offset.end;
    }
    default:
      return readZone(text, at, state, letter === 'z');
  }
}

function readNumber(letter: string, count: number, width: { min: number; max: number; exceedsPad?: true }, text: string, at: number, state: ParsedFields, reserved: number): number | undefined {
  const signed = 'yuY'.includes(letter) && count !== 2 && (text[at] === '-' || text[at] === '+');
  const start = signed ? at + 1 : at;
  let run = 0;
  while (run < 20 && /\d/.test(text[start + run] ?? '')) run++;
  const take = Math.min(width.max, run - reserved);
  if (take < width.min) return undefined;
  // Strict parsing (SignStyle): a padded year wider than its pattern needs a `+`, and a `+`
  // needs a wider year; other numbers take no `+`.
  if (text[at] === '+' && (!width.exceedsPad || take <= width.min)) return undefined;
  if (width.exceedsPad && !signed && take > width.min) return undefined;
  let value = Number(text.slice(start, start + take));
  if (text[at] === '-') value = -value;
  if (letter === 'S') value *= 10 ** (9 - count);
  const field = count === 2 && 'yuY'.includes(letter) ? `${letter}2` : (STANDALONE[letter] ?? letter);
  return store(state, field, value) ? start + take : undefined;
}

function readText(choices: Array<[string, number]>, field: string, text: string, at: number, state: ParsedFields): number | undefined {
  const match = choices.filter(([t]) => text.startsWith(t, at)).sort((a, b) => b[0].length - a[0].length)[0];
  if (!match) return undefined;
  return store(state, field, match[1]) ? at + match[0].length : undefined;
}

/** A value; a second value of the same field must agree (Java: "Conflict found"). */
function store(state: ParsedFields, field: string, value: number): boolean {
  const known = state.values[field];
  if (known !== undefined && known !== value) return false;
  state.values[field] = value;
  return true;
}

/** Stand-alone letters read the same field as their format letter. */
const STANDALONE: Readonly<Record<string, string>> = { L: 'M', q: 'Q' };

/** The longest IANA ids have about 32 characters. */
const ZONE_TEXT = /^[A-Za-z0-9~/._+:-]{1,40}/;

/** `z`: a name (ZONE_NAMES) or a zone id; `VV`: a zone id. The longest id that is valid wins. */
function readZone(text: string, at: number, state: ParsedFields, names: boolean): number | undefined {
  let zone: Zone | undefined;
  let end = at;
  if (names) {
    const named = ZONE_NAMES.filter(([name]) => text.startsWith(name, at)).sort((a, b) => b[0].length - a[0].length)[0];
    if (named) [zone, end] = [zoneOf(named[1]), at + named[0].length];
  }
  if (!zone) {
    // The longest known id or offset wins; only the whole run may be looked up in ICU (a link
    // such as `US/Pacific`), so a long run costs one lookup, not one per prefix.
    const run = ZONE_TEXT.exec(text.slice(at, at + 40))?.[0] ?? '';
    for (let length = run.length; length > 0 && !zone; length--) {
      zone = zoneOf(run.slice(0, length), length === run.length);
      end = at + length;
    }
  }
  if (!zone || (state.zone && state.zone.id !== zone.id)) return undefined;
  state.zone = zone;
  return end;
}
