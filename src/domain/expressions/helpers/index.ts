/** The helper libraries an expression may call, by `library.function`. */
import { CORE_HELPERS } from './core.js';
import { CRYPTO_HELPERS } from './crypto.js';
import { DATA_HELPERS } from './data.js';
import { DATETIME_HELPERS } from './datetime.js';
import { REGEX_HELPERS } from './regex.js';
import { STRING_HELPERS } from './string.js';
import type { Helper } from './types.js';

const LIBRARIES: Record<string, Record<string, Helper>> = {
  string: STRING_HELPERS,
  regex: REGEX_HELPERS,
  datetime: DATETIME_HELPERS,
  data: DATA_HELPERS,
  crypto: CRYPTO_HELPERS,
  core: CORE_HELPERS,
};

export const HELPER_LIBRARIES: readonly string[] = Object.keys(LIBRARIES);

export const HELPERS: Readonly<Record<string, Helper>> = Object.fromEntries(
  Object.entries(LIBRARIES).flatMap(([library, fns]) => Object.entries(fns).map(([fn, helper]) => [`${library}.${fn}`, helper])),
);
