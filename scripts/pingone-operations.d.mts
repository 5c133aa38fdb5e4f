// Types of scripts/pingone-operations.mjs for the TypeScript test that checks the committed list.
export interface PingOneOperation {
  method: string;
  path: string;
  operationId: string;
}
export const FIXTURE: string;
export const MODULE: string;
export function operationsOf(yamlText: string): PingOneOperation[];
export function moduleText(operations: PingOneOperation[]): string;
