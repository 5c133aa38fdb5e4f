/** Whether an application's authorization requests must be pushed first (RFC 9126). */
export type ParRequirement = 'OPTIONAL' | 'REQUIRED';
