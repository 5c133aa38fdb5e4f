/**
 * Attribute mappings as the client profile carries them: read with the profile and compiled once
 * per load, so a token pays no parsing and a profile without mappings pays nothing. Values were
 * checked when written; one that no longer compiles (a later, stricter grammar) yields no value,
 * which fails a required mapping instead of silently dropping the check.
 */
import { compileMapping, ExpressionSyntaxError, type CompiledMapping } from '../../domain/expressions/index.js';
import { MAX_OPENID_SCOPES, PREDEFINED_OPENID_CLAIMS } from '../../domain/openid-resource.js';
import type { ClaimMapping } from '../../protocol/claims/mapped-claims.js';
import type { ApplicationAttributeRecord, Store } from '../../store/types.js';

/** The core `sub` mapping's value before it is replaced; such a mapping changes nothing. */
const DEFAULT_SUB = '${user.id}';

function compiled(value: string): CompiledMapping {
  try {
    return compileMapping(value);
  } catch (err) {
    if (err instanceof ExpressionSyntaxError) return { source: value, parts: [] };
    throw err;
  }
}

/**
 * The application's mappings, then the `openid` resource's custom attributes whose names no
 * application mapping takes (an application mapping of the same name wins).
 */
export async function applicationClaimMappings(store: Store, environmentId: string, applicationId: string): Promise<ClaimMapping[]> {
  const [own, openId] = await Promise.all([ownClaimMappings(store, environmentId, applicationId), openIdClaimMappings(store, environmentId)]);
  if (openId.length === 0) return own;
  const taken = new Set(own.map((m) => m.name));
  return [...own, ...openId.filter((m) => !taken.has(m.name))];
}

async function ownClaimMappings(store: Store, environmentId: string, applicationId: string): Promise<ClaimMapping[]> {
  const rows = (await store.listApplicationAttributes(environmentId, applicationId)).filter((a) => !(a.settings.mappingType === 'CORE' && a.settings.value === DEFAULT_SUB));
  if (rows.length === 0) return [];
  const scopeNames = await scopeNamesOf(store, environmentId, rows);
  return rows.map((row) => {
    const mapping: ClaimMapping = {
      name: row.name,
      mapping: compiled(row.settings.value),
      required: row.settings.required,
      idToken: row.settings.idToken,
      userInfo: row.settings.userInfo,
    };
    if (row.settings.oidcScopes !== undefined) {
      mapping.scopes = row.settings.oidcScopes.flatMap((id) => {
        const name = scopeNames.get(id);
        return name === undefined ? [] : [name];
      });
    }
    return mapping;
  });
}

/**
 * The `openid` resource's custom attributes, for ID tokens (`idToken`) and userinfo (`userInfo`):
 * released by the scopes that list them in `mappedClaims`, or with `openid` when no scope does.
 * Its modified PREDEFINED attributes (stored only once modified) replace the standard claim, for
 * the scope that releases it.
 */
async function openIdClaimMappings(store: Store, environmentId: string): Promise<ClaimMapping[]> {
  const resource = await store.getOpenIdResource(environmentId);
  if (!resource) return [];
  const all = await store.listResourceAttributes(environmentId, resource.id);
  const predefined = all.flatMap((row) => (row.settings.type === 'PREDEFINED' ? predefinedMapping(row.name, row.settings.value) : []));
  const rows = all.filter((a) => a.settings.type === 'CUSTOM');
  if (rows.length === 0) return predefined;
  const scopes = (await store.listScopes(environmentId, resource.id, { limit: MAX_OPENID_SCOPES })).items;
  return [...predefined, ...rows.map((row) => {
    const mapping: ClaimMapping = {
      name: row.name,
      mapping: compiled(row.settings.value),
      required: false,
      idToken: row.settings.idToken ?? true,
      userInfo: row.settings.userInfo ?? true,
    };
    const releasing = scopes.filter((s) => s.mappedClaims?.includes(row.id)).map((s) => s.name);
    if (releasing.length > 0) mapping.scopes = releasing;
    return mapping;
  })];
}

/** A modified standard claim: released by its standard scope, in ID tokens and userinfo. */
function predefinedMapping(name: string, value: string): ClaimMapping[] {
  const scope = PREDEFINED_OPENID_CLAIMS.find(([claim]) => claim === name)?.[2];
  if (scope === undefined) return [];
  return [{ name, mapping: compiled(value), required: false, idToken: true, userInfo: true, scopes: [scope], replacesStandard: true }];
}

async function scopeNamesOf(store: Store, environmentId: string, rows: readonly ApplicationAttributeRecord[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.flatMap((r) => r.settings.oidcScopes ?? []))];
  if (ids.length === 0) return new Map();
  return new Map((await store.getScopesByIds(environmentId, ids)).map((s) => [s.id, s.name]));
}

/** A resource's custom attributes: the claims its access tokens carry. */
export async function resourceClaimMappings(store: Store, environmentId: string, resourceId: string): Promise<ClaimMapping[]> {
  const rows = await store.listResourceAttributes(environmentId, resourceId);
  return rows
    .filter((row) => row.settings.type === 'CUSTOM')
    .map((row) => ({ name: row.name, mapping: compiled(row.settings.value), required: false, idToken: false, userInfo: false }));
}
