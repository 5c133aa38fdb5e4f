/** Moved to ../shared/rows.ts (shared with the PostgreSQL store); re-exported for existing imports. */
export * from '../shared/rows.js';
