/**
 * `#regex` (PingOne's "Custom library functions", Regex library). JavaScript's regular
 * expressions backtrack, so a pattern could take exponential time; patterns are therefore
 * literals checked when the mapping is written: no backreferences, no repeated group that holds
 * a quantifier or an alternation, at most two repeating quantifiers; and the text they run over is at most
 * EXPRESSION_LIMITS.maxRegexInputLength characters (a longer one yields no value).
 */
import type { JsonValue } from '../ast.js';
import { EvaluationError } from '../errors.js';
import { EXPRESSION_LIMITS } from '../limits.js';
import type { Helper } from './types.js';

const MAX_REPEATING_QUANTIFIERS = 2;

/** Why a pattern is refused, in "expected …" words, or undefined when it is accepted. */
export function checkPattern(pattern: string): string | undefined {
  if (pattern.length > EXPRESSION_LIMITS.maxPatternLength) return `a pattern of at most ${EXPRESSION_LIMITS.maxPatternLength} characters`;
  try {
    new RegExp(pattern, 'g');
  } catch {
    return 'a valid regular expression';
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'a pattern without backreferences';
  return checkQuantifiers(pattern);
}

/** Star height at most 1, and a bounded number of repeating quantifiers. */
function checkQuantifiers(pattern: string): string | undefined {
  // For each open group: whether it holds a quantifier or an alternation (either makes
  // repeating the group ambiguous, the source of exponential backtracking).
  const groups: boolean[] = [];
  let repeating = 0;
  let lastGroupHeldQuantifier = false;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      lastGroupHeldQuantifier = false;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      lastGroupHeldQuantifier = false;
      continue;
    }
    if (c === '(') {
      groups.push(false);
      if (pattern[i + 1] === '?') i++;
      continue;
    }
    if (c === ')') {
      lastGroupHeldQuantifier = groups.pop() ?? false;
      if (lastGroupHeldQuantifier && groups.length > 0) groups[groups.length - 1] = true;
      continue;
    }
    if (c === '|') {
      if (groups.length > 0) groups[groups.length - 1] = true;
      continue;
    }
    const quantifier = readQuantifier(pattern, i);
    if (quantifier) {
      if (quantifier.repeats) {
        if (lastGroupHeldQuantifier) return 'a pattern without a repeated group that holds a quantifier or an alternation';
        repeating++;
        if (repeating > MAX_REPEATING_QUANTIFIERS) return `a pattern with at most ${MAX_REPEATING_QUANTIFIERS} repeating quantifiers`;
      }
      if (groups.length > 0) groups[groups.length - 1] = true;
      i = quantifier.end - 1;
      if (pattern[i + 1] === '?' || pattern[i + 1] === '+') i++;
      lastGroupHeldQuantifier = false;
      continue;
    }
    lastGroupHeldQuantifier = false;
  }
  return undefined;
}

function readQuantifier(pattern: string, i: number): { repeats: boolean; end: number } | undefined {
  const c = pattern[i];
  if (c === '*' || c === '+') return { repeats: true, end: i + 1 };
  if (c === '?') return { repeats: false, end: i + 1 };
  if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
    if (!m) return undefined;
    const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
    return { repeats: max > 1, end: i + m[0].length };
  }
  return undefined;
}

function input(value: JsonValue | undefined, fn: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new EvaluationError(`#regex.${fn} takes a string`);
  if (value.length > EXPRESSION_LIMITS.maxRegexInputLength) throw new EvaluationError(`#regex.${fn} input is too long`, true);
  return value;
}

/** Compiled patterns, by source: patterns are literals, so few distinct ones exist. */
const compiled = new Map<string, RegExp>();
function regex(pattern: JsonValue | undefined): RegExp {
  const source = pattern as string;
  let re = compiled.get(source);
  if (!re) {
    re = new RegExp(source, 'g');
    if (compiled.size < 1000) compiled.set(source, re);
  }
  re.lastIndex = 0;
  return re;
}

const SECOND = () => [1] as const;

function replacement(value: JsonValue | undefined, fn: string): string {
  if (typeof value !== 'string') throw new EvaluationError(`#regex.${fn} takes a string replacement`);
  return value;
}

/** Whole-input matching (Java's String.matches): the pattern anchored at both ends. */
const anchored = new Map<string, RegExp>();
function whole(pattern: JsonValue | undefined): RegExp {
  const source = pattern as string;
  let re = anchored.get(source);
  if (!re) {
    re = new RegExp(`^(?:${source})$`);
    if (anchored.size < 1000) anchored.set(source, re);
  }
  return re;
}

export const REGEX_HELPERS: Record<string, Helper> = {
  findAllMatches: {
    minArgs: 2,
    maxArgs: 2,
    patternArguments: SECOND,
    call: ([s, pattern]) => {
      const text = input(s, 'findAllMatches');
      if (text === null) return null;
      return [...text.matchAll(regex(pattern))].map((m) => m[0]);
    },
  },
  /**
   * One or more find-and-replace pairs, applied in order (up to 10 pairs); a last pattern without
   * a replacement is left out, as documented.
   */
  replaceAll: {
    minArgs: 3,
    maxArgs: 21,
    patternArguments: (count) => Array.from({ length: Math.floor(count / 2) }, (_, i) => 1 + 2 * i),
    call: (args) => {
      let text = input(args[0], 'replaceAll');
      if (text === null) return null;
      for (let i = 1; i + 1 < args.length; i += 2) {
        text = input(text.replace(regex(args[i]), replacement(args[i + 1], 'replaceAll')), 'replaceAll') as string;
      }
      return text;
    },
  },
  replaceFirst: {
    minArgs: 3,
    maxArgs: 3,
    patternArguments: SECOND,
    call: ([s, pattern, replace]) => {
      const text = input(s, 'replaceFirst');
      if (text === null) return null;
      return text.replace(new RegExp(pattern as string), replacement(replace, 'replaceFirst'));
    },
  },
  /** True when the whole input matches; false for null. */
  matches: {
    minArgs: 2,
    maxArgs: 2,
    patternArguments: SECOND,
    call: ([s, pattern]) => {
      const text = input(s, 'matches');
      return text !== null && whole(pattern).test(text);
    },
  },
};
