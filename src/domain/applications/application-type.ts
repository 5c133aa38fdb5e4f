/** PingOne's application types (docs/pingone-reference.md §4). */
export const APPLICATION_TYPES = ['WEB_APP', 'NATIVE_APP', 'SINGLE_PAGE_APP', 'WORKER', 'SERVICE', 'CUSTOM_APP'] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number];
