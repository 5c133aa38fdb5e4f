/**
 * `#core` (PingOne's "Custom library functions", Core library): `ifelse` and `switchExpr`, with up
 * to 10 else-if pairs or choices and an optional last default. Arguments are evaluated before the
 * call, as for any SpEL method call.
 */
import type { JsonValue } from '../ast.js';
import { sameValue } from './values.js';
import type { Helper } from './types.js';

const TRUE_WORDS = new Set(['true', 'on', 'y', 't', 'yes']);

/** PingOne's conversion of a condition: numbers above 0, and true/on/y/t/yes in any case, are true. */
function truthy(value: JsonValue | undefined): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value > 0;
  if (typeof value === 'string') return TRUE_WORDS.has(value.toLowerCase());
  return false;
}

export const CORE_HELPERS: Record<string, Helper> = {
  ifelse: {
    minArgs: 2,
    maxArgs: 23,
    call: (args) => {
      let i = 0;
      for (; i + 1 < args.length; i += 2) if (truthy(args[i])) return args[i + 1] as JsonValue;
      return i < args.length ? (args[i] as JsonValue) : null;
    },
  },
  switchExpr: {
    minArgs: 3,
    maxArgs: 22,
    call: (args, env) => {
      const find = args[0] as JsonValue;
      let i = 1;
      for (; i + 1 < args.length; i += 2) if (sameValue(find, args[i] as JsonValue, env)) return args[i + 1] as JsonValue;
      return i < args.length ? (args[i] as JsonValue) : null;
    },
  },
};
