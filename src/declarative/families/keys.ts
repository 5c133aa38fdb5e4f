/**
 * The environment's keys (PingOne's keys API), pinned by the file: `id` (the `kid` of the tokens
 * a SIGNING key signs), `usageType`, `default`, and the pair as PEM (`privateKey`, PKCS #8, and
 * `certificate`). A key the server already has needs no `privateKey` (an export without
 * secrets lists it so); its material never changes under the same id.
 */
import { InvalidDataError } from '../../domain/pingone-error.js';
import { detail } from '../../management/errors.js';
import { importPemKey, readPinnedKey } from '../../management/keys/import.js';
import { deleteKey, listKeys, updateKey } from '../../management/keys/service.js';
import { embedded, type Collection, type Json } from '../engine.js';
import type { EnvironmentParent } from './parents.js';

const ENVIRONMENT_KEY = '(the key a new environment starts with)';

function flags(spec: Json): Json {
  const out: Json = {};
  if (spec.usageType !== undefined) out.usageType = spec.usageType;
  if (spec.default !== undefined) out.default = spec.default;
  return out;
}

export const keys: Collection<EnvironmentParent> = {
  kind: 'key',
  environmentIdOf: (p) => p.environmentId,
  nameOf: () => undefined,
  async list(e, p) {
    if (p.isNew && e.mode === 'check') return [{ id: ENVIRONMENT_KEY, name: ENVIRONMENT_KEY, body: { usageType: 'SIGNING', default: true } }];
    const items = embedded(await listKeys(e.deps, e.actor, p.environmentId), 'keys');
    return items.map((b) => ({ id: b.id as string, name: (b.name as string | undefined) ?? (b.id as string), body: b }));
  },
  body: async (_e, _p, spec) => flags(spec),
  async check(_e, _p, body, spec, existing) {
    const issues = [];
    if (body.usageType !== 'SIGNING' && body.usageType !== 'ENCRYPTION') issues.push(detail.invalid('usageType', 'usageType must be SIGNING or ENCRYPTION.'));
    if (body.default !== undefined && typeof body.default !== 'boolean') issues.push(detail.invalid('default', 'default must be a boolean.'));
    if (!existing && (typeof spec.privateKey !== 'string' || typeof spec.certificate !== 'string')) {
      issues.push(detail.required(typeof spec.privateKey !== 'string' ? 'privateKey' : 'certificate'));
    }
    if (issues.length > 0) throw new InvalidDataError(issues);
    if (typeof spec.privateKey === 'string' && typeof spec.certificate === 'string') readPinnedKey({ privateKey: spec.privateKey, certificate: spec.certificate });
  },
  async create(e, p, id, body, spec) {
    await importPemKey(e.deps, e.actor, p.environmentId, {
      id,
      privateKey: spec.privateKey as string,
      certificate: spec.certificate as string,
      usageType: body.usageType as 'SIGNING' | 'ENCRYPTION',
      default: body.default === true,
    });
  },
  update: async (e, p, x, body) => void (await updateKey(e.deps, e.actor, p.environmentId, x.id, { usageType: body.usageType, default: body.default === true })),
  remove: async (e, p, x) => deleteKey(e.deps, e.actor, p.environmentId, x.id),
};
