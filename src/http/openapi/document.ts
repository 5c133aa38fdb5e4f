/**
 * Keyway's own OpenAPI 3 description (README, "Keyway's API description"): exactly the PingOne
 * operations this server serves, with PingOne's own operation objects and schemas (the committed
 * subset of PingOne's description, ./pingone-subset.ts) for the management API and Keyway's
 * (./outside-v1.ts) for the authorization server and sign-on, plus the operations Keyway adds,
 * each marked `x-keyway-extension: true`.
 */
import { PINGONE_SUBSET_JSON } from './pingone-subset.js';
import type { ServedOperation } from './served.js';

export const EXTENSION = 'x-keyway-extension';

type Json = Record<string, any>;

/**
 * An operation described by Keyway rather than by PingOne's management API description: one
 * Keyway adds (an extension), or one of PingOne's authorization server and sign-on, which that
 * description does not cover (`extension: false`).
 */
export interface KeywayDescribedOperation {
  method: string;
  /** OpenAPI path template (`{param}` segments). */
  path: string;
  summary: string;
  /** The description of the success answer. */
  ok: string;
  tag: string;
  /** Keyway's own operation (default), flagged `x-keyway-extension: true`. */
  extension?: boolean;
}

const KEYWAY_TAG = 'Keyway';

let subset: Json | undefined;
const pingOne = (): Json => (subset ??= JSON.parse(PINGONE_SUBSET_JSON) as Json);

export function openApiDocument(served: readonly ServedOperation[], described: readonly KeywayDescribedOperation[]): Json {
  const source = pingOne();
  const paths: Json = {};
  for (const op of served) {
    const item = source.paths[op.path];
    const operation = item?.[op.method.toLowerCase()];
    if (!operation) continue;
    paths[op.path] ??= item.parameters ? { parameters: item.parameters } : {};
    paths[op.path][op.method.toLowerCase()] = { ...operation, responses: { ...operation.responses, '501': { $ref: '#/components/responses/NotImplemented' } } };
  }
  for (const ext of described) {
    paths[ext.path] ??= {};
    paths[ext.path][ext.method.toLowerCase()] = {
      operationId: `keyway.${ext.method.toLowerCase()}${ext.path.replace(/[{}]/g, '').replace(/\/(\w)/g, (_m, c: string) => c.toUpperCase()).replace(/\W/g, '')}`,
      summary: ext.summary,
      tags: [ext.tag],
      ...(ext.extension === false ? {} : { [EXTENSION]: true }),
      ...(ext.path.startsWith('/v1/') ? {} : { security: [] }),
      parameters: [...ext.path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      responses: { '200': { description: ext.ok } },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Keyway API',
      // The version of PingOne's description the operations are taken from.
      version: `pingone-${source.info.version}`,
      description:
        `The PingOne management API operations this Keyway serves, described by PingOne's OpenAPI description ("${source.info.title}", ${source.info.version}; BSD 3-Clause); the authorization server and sign-on operations it serves per environment, which that description does not cover, described by Keyway; and Keyway's extensions, each marked \`${EXTENSION}: true\`. An operation of PingOne's management API that is not listed answers 501 NOT_IMPLEMENTED.`,
    },
    servers: [{ url: '/' }],
    security: source.security,
    tags: [
      ...(source.tags ?? []),
      { name: 'Authorization server', description: "PingOne's OAuth 2.0 and OpenID Connect endpoints of an environment." },
      { name: 'Sign-on', description: "PingOne's flow API and hosted sign-on page of an environment." },
      { name: KEYWAY_TAG, description: 'Operations Keyway adds to PingOne\'s API.', [EXTENSION]: true },
    ],
    paths,
    components: {
      ...source.components,
      responses: {
        ...source.components.responses,
        NotImplemented: {
          description: 'NOT_IMPLEMENTED: an operation of PingOne\'s management API that Keyway does not implement (in PingOne\'s error shape).',
          [EXTENSION]: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { id: { type: 'string' }, code: { type: 'string', enum: ['NOT_IMPLEMENTED'] }, message: { type: 'string' } },
                required: ['id', 'code', 'message'],
              },
            },
          },
        },
      },
    },
  };
}

/** Operations the document lists, as `METHOD path` with a flag for Keyway's own (the reference page's rows). */
export function operationsOf(document: Json): Array<{ method: string; path: string; operationId: string; summary: string; tag: string; extension: boolean }> {
  const rows = [];
  for (const [path, item] of Object.entries(document.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      if (method === 'parameters') continue;
      const operation = op as Json;
      rows.push({
        method: method.toUpperCase(),
        path,
        operationId: String(operation.operationId ?? ''),
        summary: String(operation.summary ?? operation.description ?? '').split('\n')[0] ?? '',
        tag: String(operation.tags?.[0] ?? 'Other'),
        extension: operation[EXTENSION] === true,
      });
    }
  }
  return rows;
}
