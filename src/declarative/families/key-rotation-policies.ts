/**
 * Key rotation policies (PingOne's `keyRotationPolicies`): the policy body, and its CURRENT and
 * NEXT keys pinned as `currentKey` / `nextKey` (`{id, privateKey, certificate}`, PEM) so that the
 * environment's JWKS is the same wherever the file is applied. A key left out is generated, as
 * the API does. Keys are pinned when the policy is made; a policy the server has (rotated since,
 * perhaps) keeps its keys, and a file naming others is refused rather than rotating them in.
 * Applications name a policy in `signing.keyRotationPolicy` by id or name (./applications.ts).
 */
import { isUuid } from '../../domain/ids.js';
import { InvalidDataError } from '../../domain/pingone-error.js';
import { detail } from '../../management/errors.js';
import { parseKeyRotationPolicyBody } from '../../management/key-rotation-policies/parse.js';
import { checkPinnedPolicyKey, type PinnedPolicyKey, type PolicyKeyState } from '../../management/key-rotation-policies/pinned.js';
import { createPolicy, deletePolicy, listPolicies, replacePolicy } from '../../management/key-rotation-policies/service.js';
import { embedded, ownFields, type Collection, type Json } from '../engine.js';
import { tables, type EnvironmentParent } from './parents.js';

/** The file's field of each pinned key, and the read-only field of the API's answer naming it. */
const PINS: ReadonlyArray<{ state: PolicyKeyState; field: string; answer: string }> = [
  { state: 'CURRENT', field: 'currentKey', answer: 'currentKeyId' },
  { state: 'NEXT', field: 'nextKey', answer: 'nextKeyId' },
];
/** Read-only fields of the answer (an export may hold them): not part of the body. */
const LOCAL = ['currentKey', 'nextKey', 'currentKeyId', 'nextKeyId', 'rotatedAt'];

const pinOf = (spec: Json, field: string): Json | undefined => {
  const v = spec[field];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
};

/** The pinned keys the file gives with their private keys (what a create can use). */
function pinnedKeys(spec: Json): Partial<Record<PolicyKeyState, PinnedPolicyKey>> {
  const out: Partial<Record<PolicyKeyState, PinnedPolicyKey>> = {};
  for (const { state, field } of PINS) {
    const pin = pinOf(spec, field);
    if (pin && typeof pin.id === 'string' && typeof pin.privateKey === 'string' && typeof pin.certificate === 'string') {
      out[state] = { id: pin.id, privateKey: pin.privateKey, certificate: pin.certificate };
    }
  }
  return out;
}

/** Pinned key ids that are not the server's (a policy's keys are never replaced by a file). */
function otherKeys(spec: Json, current: Json): string[] {
  return PINS.filter(({ field, answer }) => {
    const id = pinOf(spec, field)?.id;
    return typeof id === 'string' && id !== current[answer];
  }).map(({ field }) => field);
}

export const keyRotationPolicies: Collection<EnvironmentParent> = {
  kind: 'keyRotationPolicy',
  environmentIdOf: (p) => p.environmentId,
  table: (p) => tables.keyRotationPolicies(p.environmentId),
  nameOf: (spec) => (typeof spec.name === 'string' ? spec.name : undefined),
  async list(e, p) {
    if (p.isNew && e.mode === 'check') return [];
    const items = embedded(await listPolicies(e.deps, e.actor, p.environmentId), 'keyRotationPolicies');
    return items.map((b) => ({ id: b.id as string, name: b.name as string, body: b }));
  },
  body: async (_e, _p, spec) => ownFields(spec, LOCAL),
  async check(_e, _p, body, spec, existing) {
    const { settings } = parseKeyRotationPolicyBody(body);
    const issues = [];
    if (existing) {
      for (const field of otherKeys(spec, existing.body)) {
        issues.push(detail.constraint(`${field}.id`, `The policy holds other keys (${field.replace('Key', '')} ${String(existing.body[`${field}Id`])}): a policy's keys change by rotation only; give the policy another id to pin new ones.`));
      }
      if (issues.length > 0) throw new InvalidDataError(issues);
      return;
    }
    for (const { field } of PINS) {
      const pin = spec[field];
      if (pin === undefined) continue;
      const p = pinOf(spec, field);
      if (!p) issues.push(detail.invalid(field, `${field} is {id, privateKey, certificate}.`));
      else if (typeof p.id !== 'string' || !isUuid(p.id)) issues.push(detail.invalid(`${field}.id`, `${field}.id must be a UUID.`));
      else if (typeof p.privateKey !== 'string' || typeof p.certificate !== 'string') issues.push(detail.required(`${field}.${typeof p.privateKey !== 'string' ? 'privateKey' : 'certificate'}`));
      else {
        try {
          checkPinnedPolicyKey(settings, { privateKey: p.privateKey, certificate: p.certificate });
        } catch (err) {
          if (!(err instanceof InvalidDataError)) throw err;
          issues.push(...err.details.map((d) => ({ ...d, target: `${field}.${d.target}` })));
        }
      }
    }
    if (issues.length > 0) throw new InvalidDataError(issues);
  },
  create: async (e, p, id, body, spec) => void (await createPolicy(e.deps, e.actor, p.environmentId, body, { id, keys: pinnedKeys(spec) })),
  async update(e, p, x, body, spec) {
    if (otherKeys(spec, x.body).length > 0) throw new InvalidDataError([detail.constraint('currentKey.id', "A policy's keys change by rotation only.")]);
    await replacePolicy(e.deps, e.actor, p.environmentId, x.id, body, undefined);
  },
  extraDiffers: async (_e, _p, x, spec) => otherKeys(spec, x.body).length > 0,
  remove: async (e, p, x) => deletePolicy(e.deps, e.actor, p.environmentId, x.id),
};
