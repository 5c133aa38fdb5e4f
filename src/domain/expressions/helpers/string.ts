/**
 * `#string` (PingOne's "Custom library functions", String library). Each returns null for a null
 * input, as documented; a non-string input is an evaluation error.
 */
import { EvaluationError } from '../errors.js';
import type { JsonValue } from '../ast.js';
import type { Helper } from './types.js';

function text(value: JsonValue | undefined, fn: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new EvaluationError(`#string.${fn} takes a string`);
  return value;
}

function integer(value: JsonValue | undefined, fn: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new EvaluationError(`#string.${fn} takes integer positions`);
  return value;
}

function mapped(fn: string, f: (s: string) => string): Helper {
  return { minArgs: 1, maxArgs: 1, call: ([s]) => { const input = text(s, fn); return input === null ? null : f(input); } };
}

/** A position counted from the end when negative, clamped to the string (Apache StringUtils). */
function position(index: number, length: number): number {
  const at = index < 0 ? length + index : index;
  return Math.min(Math.max(at, 0), length);
}

export const STRING_HELPERS: Record<string, Helper> = {
  isNotEmpty: { minArgs: 1, maxArgs: 1, call: ([s]) => { const input = text(s, 'isNotEmpty'); return input !== null && input.length > 0; } },
  isNotBlank: { minArgs: 1, maxArgs: 1, call: ([s]) => { const input = text(s, 'isNotBlank'); return input !== null && input.trim().length > 0; } },
  upperCase: mapped('upperCase', (s) => s.toUpperCase()),
  lowerCase: mapped('lowerCase', (s) => s.toLowerCase()),
  trim: mapped('trim', (s) => s.trim()),
  substring: {
    minArgs: 2,
    maxArgs: 3,
    call: ([s, start, end]) => {
      const input = text(s, 'substring');
      if (input === null) return null;
      const from = position(integer(start, 'substring'), input.length);
      const to = end === undefined ? input.length : position(integer(end, 'substring'), input.length);
      return from < to ? input.slice(from, to) : '';
    },
  },
};
