/** Whether an application's authorization requests must be pushed first (RFC 9126). */
export const PAR_REQUIREMENTS = ['OPTIONAL', 'REQUIRED'] as const;
export type ParRequirement = (typeof PAR_REQUIREMENTS)[number];
