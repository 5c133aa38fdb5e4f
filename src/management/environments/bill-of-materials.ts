/**
 * An environment's bill of materials: the products it uses (PingOne's `BillOfMaterials`;
 * `GET/PUT /v1/environments/{envId}/billOfMaterials`, also accepted in an environment's create
 * body). Keyway runs none of those products; it keeps the list so that tooling written for
 * PingOne reads back what it wrote. Stored in the environment's `extras` with its own timestamps.
 */
import { newId } from '../../domain/ids.js';
import { isJsonObject } from '../../domain/json-object.js';
import type { EnvironmentRecord } from '../../store/types.js';
import { detail } from '../errors.js';
import type { FieldReader } from '../fields.js';

/** OpenAPI `EnumProductType`. */
export const PRODUCT_TYPES = [
  'PING_ONE_MFA', 'PING_ONE_DAVINCI', 'PING_ONE_ORCHESTRATE', 'PING_ONE_RISK', 'PING_ONE_FRAUD',
  'PING_ONE_PROVISIONING', 'PING_DATA_SYNC', 'PING_DATA_GOVERNANCE', 'PING_ONE_FOR_ENTERPRISE',
  'PING_ID_SDK', 'PING_ONE_FOR_SAAS', 'PING_ONE_VERIFY', 'PING_ONE_CREDENTIALS', 'PING_ONE_AUTHORIZE',
  'PING_ONE_BASE', 'PING_FEDERATE', 'PING_ACCESS', 'PING_DIRECTORY', 'PING_AUTHORIZE', 'PING_ID',
  'PING_ONE_ID', 'PING_INTELLIGENCE', 'PING_CENTRAL',
] as const;
/** OpenAPI `EnumBillOfMaterialsProductTags`. */
const PRODUCT_TAGS = ['DAVINCI_MINIMAL'] as const;
/** OpenAPI `EnumSolutionType`. */
const SOLUTION_TYPES = ['WORKFORCE', 'CUSTOMER', 'CIAM_TRIAL', 'WF_TRIAL'] as const;
/** "Maximum of five bookmarks per product", names of "50 characters or fewer" (OpenAPI `BillOfMaterials_products_inner`). */
const MAX_BOOKMARKS = 5;
const MAX_BOOKMARK_NAME = 50;
const MAX_HREF = 2048;

export interface StoredBillOfMaterials {
  solutionType?: string;
  products: Record<string, unknown>[];
  createdAt: string;
  updatedAt: string;
}

/**
 * Reads `billOfMaterials` (a nested reader of the body, or the whole body of a PUT); problems are
 * collected on the reader. `previous` keeps `createdAt` across replacements.
 */
export function readBillOfMaterials(r: FieldReader, at: string, previous?: StoredBillOfMaterials): StoredBillOfMaterials | undefined {
  const solutionType = r.enumValue('solutionType', SOLUTION_TYPES);
  const items = r.objectArray('products', PRODUCT_TYPES.length);
  if (!r.has('products')) r.report(detail.required(r.target('products')));
  const products = items?.map(readProduct);
  if (products === undefined || products.some((p) => p === undefined)) return undefined;
  const types = products.map((p) => p?.type);
  types.forEach((type, i) => {
    if (types.indexOf(type) !== i) r.report(detail.invalid(`${r.target('products')}[${i}].type`, `${String(type)} is listed more than once.`));
  });
  const bom: StoredBillOfMaterials = { products: products as Record<string, unknown>[], createdAt: previous?.createdAt ?? at, updatedAt: at };
  if (solutionType !== undefined) bom.solutionType = solutionType;
  return bom;
}

function readProduct(p: FieldReader): Record<string, unknown> | undefined {
  const type = p.enumValue('type', PRODUCT_TYPES, { required: true });
  const description = p.string('description', 1024);
  const consoleReader = p.object('console');
  const consoleHref = consoleReader?.checkedString('href', MAX_HREF, httpUrl, { required: true });
  const tags = p.enumArray('tags', PRODUCT_TAGS);
  const bookmarks = p.objectArray('bookmarks', MAX_BOOKMARKS)?.map((b) => ({
    name: b.string('name', MAX_BOOKMARK_NAME, { required: true, nonBlank: true }),
    href: b.checkedString('href', MAX_HREF, httpUrl, { required: true }),
  }));
  const names = bookmarks?.map((b) => b.name) ?? [];
  names.forEach((name, i) => {
    if (name !== undefined && names.indexOf(name) !== i) p.report(detail.invalid(`${p.target('bookmarks')}[${i}].name`, 'Bookmark names must be unique within a product.'));
  });
  if (type === undefined) return undefined;
  // `id` is read-only: Keyway names each product it stores.
  const product: Record<string, unknown> = { id: newId(), type };
  if (description !== undefined) product.description = description;
  if (consoleHref !== undefined) product.console = { href: consoleHref };
  if (tags !== undefined) product.tags = tags;
  if (bookmarks !== undefined) product.bookmarks = bookmarks;
  return product;
}

function httpUrl(value: string, target: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return undefined;
  } catch {
    // falls through to the message
  }
  return `${target} must be an absolute http or https URL.`;
}

/**
 * The stored bill of materials, or PingOne's default for an environment created without one: the
 * `PING_ONE_BASE` product, "the default set of services that an environment can use"
 * (OpenAPI `EnumProductType`). Rows written before timestamps were kept take the environment's.
 */
export function billOfMaterialsOf(env: EnvironmentRecord): StoredBillOfMaterials {
  const stored = env.extras.billOfMaterials;
  if (!isJsonObject(stored) || !Array.isArray(stored.products)) {
    return { products: [{ type: 'PING_ONE_BASE' }], createdAt: env.createdAt, updatedAt: env.createdAt };
  }
  const bom: StoredBillOfMaterials = {
    products: stored.products.filter(isJsonObject) as Record<string, unknown>[],
    createdAt: typeof stored.createdAt === 'string' ? stored.createdAt : env.createdAt,
    updatedAt: typeof stored.updatedAt === 'string' ? stored.updatedAt : env.updatedAt,
  };
  if (typeof stored.solutionType === 'string') bom.solutionType = stored.solutionType;
  return bom;
}

export function toBillOfMaterialsResponse(env: EnvironmentRecord, apiBase: string): Record<string, unknown> {
  const self = `${apiBase}/environments/${env.id}`;
  const bom = billOfMaterialsOf(env);
  const body: Record<string, unknown> = {
    _links: { self: { href: `${self}/billOfMaterials` }, environment: { href: self } },
  };
  if (bom.solutionType !== undefined) body.solutionType = bom.solutionType;
  return { ...body, products: bom.products, createdAt: bom.createdAt, updatedAt: bom.updatedAt };
}
