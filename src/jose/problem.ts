/**
 * A problem found in caller-supplied JOSE material, as a plain value. The module never throws
 * for bad input and knows no error format: management words problems as PingOne error details,
 * the authorization server as OAuth errors. Messages never contain private key material.
 */
export type JoseProblem =
  | { code: 'INVALID'; target: string; message: string }
  /** Larger than `limit` (bytes, characters or keys, as the message says). */
  | { code: 'TOO_LARGE'; target: string; message: string; limit: number };

export function invalid(target: string, message: string): JoseProblem {
  return { code: 'INVALID', target, message };
}

export function tooLarge(target: string, message: string, limit: number): JoseProblem {
  return { code: 'TOO_LARGE', target, message, limit };
}
