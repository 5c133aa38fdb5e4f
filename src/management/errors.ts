/**
 * The helpers the management validators build PingOne error details with. The error classes
 * themselves (one per top-level wire code, shared with the flow API) are in
 * src/domain/pingone-error.ts; `src/http/error-mapper.ts` is the only serialiser.
 */
import { InvalidDataError, type ErrorDetail, type InnerError } from '../domain/pingone-error.js';

/** Helpers that build one detail; validators collect them and throw one InvalidDataError. */
export const detail = {
  required: (target: string): ErrorDetail => ({ code: 'REQUIRED_VALUE', target, message: `${target} is required.` }),
  invalid: (target: string, message: string, innerError?: InnerError): ErrorDetail =>
    innerError ? { code: 'INVALID_VALUE', target, message, innerError } : { code: 'INVALID_VALUE', target, message },
  range: (target: string, min: number, max: number): ErrorDetail => ({
    code: 'OUT_OF_RANGE',
    target,
    message: `${target} must be between ${min} and ${max}.`,
    innerError: { rangeMinimumValue: min, rangeMaximumValue: max },
  }),
  constraint: (target: string, message: string): ErrorDetail => ({ code: 'CONSTRAINT_VIOLATION', target, message }),
  unique: (target: string, message: string, existingId?: string): ErrorDetail =>
    existingId
      ? { code: 'UNIQUENESS_VIOLATION', target, message, innerError: { existingId } }
      : { code: 'UNIQUENESS_VIOLATION', target, message },
  size: (target: string, message: string, maximumValue: number): ErrorDetail => ({
    code: 'SIZE_LIMIT_EXCEEDED',
    target,
    message,
    innerError: { maximumValue },
  }),
};

/** Throws one InvalidDataError carrying every collected detail, if any. */
export function throwIfInvalid(details: ErrorDetail[]): void {
  if (details.length > 0) throw new InvalidDataError(details);
}
