// Types of scripts/keyway-openapi.mjs for the TypeScript test that checks the committed subset.
export const FIXTURE: string;
export const SERVED: string;
export const MODULE: string;
export function subsetOf(yamlText: string, served: ReadonlyArray<readonly [method: string, path: string]>): Record<string, unknown>;
export function moduleText(subset: Record<string, unknown>): string;
