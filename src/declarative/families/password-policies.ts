/**
 * Password policies (PingOne's `passwordPolicies`): the policy bodies, matched by id or name.
 * The three a new environment starts with (Standard, Passphrase, Basic;
 * src/management/password-policies/built-in.ts) get new ids in every environment: they are
 * matched by name, may be changed, and are never created or pruned. Populations name a policy
 * in `passwordPolicy` by id or name, so policies are reconciled before them.
 */
import { checkPasswordPolicyReplacement, createPasswordPolicy, deletePasswordPolicy, listPasswordPolicies, replacePasswordPolicy } from '../../management/password-policies/service.js';
import { BUILT_IN_PASSWORD_POLICY_NAMES, builtInPasswordPolicies } from '../../management/password-policies/built-in.js';
import { parsePasswordPolicyBody } from '../../management/password-policies/parse.js';
import { toPasswordPolicyResponse } from '../../management/password-policies/serialize.js';
import { embedded, ownFields, pendingId, type Collection, type Existing } from '../engine.js';
import { tables, type EnvironmentParent } from './parents.js';

export const passwordPolicies: Collection<EnvironmentParent> = {
  kind: 'passwordPolicy',
  environmentIdOf: (p) => p.environmentId,
  table: (p) => tables.passwordPolicies(p.environmentId),
  nameOf: (spec) => (typeof spec.name === 'string' ? spec.name : undefined),
  async list(e, p) {
    if (p.isNew && e.mode === 'check') {
      // What the new environment will answer (../../management/password-policies/built-in.ts), so
      // that a file holding the built-in policies as they are plans them unchanged.
      return builtInPasswordPolicies(p.environmentId, e.deps.now().toISOString()).map((policy, i): Existing => {
        const id = pendingId(200 + i);
        return { id, name: policy.name, body: toPasswordPolicyResponse({ ...policy, id }, 0, ''), builtIn: true };
      });
    }
    const items = embedded(await listPasswordPolicies(e.deps, e.actor, p.environmentId), 'passwordPolicies');
    return items.map((b): Existing => ({ id: b.id as string, name: b.name as string, body: b, builtIn: BUILT_IN_PASSWORD_POLICY_NAMES.includes(b.name as string) }));
  },
  body: async (_e, _p, spec) => ownFields(spec, []),
  async check(_e, _p, body, _spec, existing) {
    if (existing) checkPasswordPolicyReplacement(body, { default: existing.body.default === true });
    else parsePasswordPolicyBody(body);
  },
  create: async (e, p, id, body) => void (await createPasswordPolicy(e.deps, e.actor, p.environmentId, body, { id })),
  update: async (e, p, x, body) => void (await replacePasswordPolicy(e.deps, e.actor, p.environmentId, x.id, body, undefined)),
  remove: async (e, p, x) => deletePasswordPolicy(e.deps, e.actor, p.environmentId, x.id),
};
