/**
 * Role assignments in a configuration (README, "Declarative configuration"): an Organization
 * Admin's apply acts with Environment Admin over the environments it covers (to set keys and
 * settings), but gives and takes roles only with the roles it holds itself, PingOne's rule for
 * `POST …/roleAssignments` ("Role assignments": an actor assigns only roles it has), so that
 * standing never outlives the apply.
 */
import { describe, test, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { startInProcess, type InProcess } from '../support/harness.js';

const ENV = '7a2e3b40-0000-4000-8000-000000000301';
const OPERATOR = '7a2e3b40-0000-4000-8000-000000000311';
const ENV_ADMIN_ROLE = '3dcf1f72-5a8d-4b6e-9e1b-0a8f0c2a6d02';
const ORG_ADMIN_ROLE = '3dcf1f72-5a8d-4b6e-9e1b-0a8f0c2a6d01';

function documentWith(roleAssignments: unknown[]): unknown {
  return {
    environments: [
      {
        id: ENV,
        name: 'Roles',
        type: 'SANDBOX',
        region: 'NA',
        applications: [{ id: OPERATOR, name: 'Operator', type: 'WORKER', protocol: 'OPENID_CONNECT', enabled: true, tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC', roleAssignments }],
      },
    ],
  };
}

describe('declarative configuration: role assignments', () => {
  let h: InProcess;
  before(async () => {
    h = await startInProcess();
  });
  after(() => h?.close());

  test('Environment Admin over an environment the caller holds it on only through the apply is refused in the check pass; nothing is written', async () => {
    const reply = await h.inject('POST', '/v1/keyway/configuration', { body: documentWith([{ role: { id: ENV_ADMIN_ROLE }, scope: { type: 'ENVIRONMENT', id: ENV } }]) });
    assert.equal(reply.status, 400, JSON.stringify(reply.body));
    assert.equal(reply.body.code, 'INVALID_DATA');
    assert.ok(
      reply.body.details.some((d: any) => d.target === '/environments/0/applications/0/roleAssignments/0/role' && /holds it/.test(d.message)),
      JSON.stringify(reply.body.details),
    );
    assert.equal((await h.inject('GET', `/v1/environments/${ENV}`)).status, 404, 'the environment was not created');
  });

  test('roles the caller holds (Organization Admin; Environment Admin of its own environment) are given with the file', async () => {
    const wanted = [
      { role: { id: ORG_ADMIN_ROLE }, scope: { type: 'ORGANIZATION', id: h.organizationId } },
      { role: { id: ENV_ADMIN_ROLE }, scope: { type: 'ENVIRONMENT', id: h.adminEnvId } },
    ];
    const reply = await h.inject('POST', '/v1/keyway/configuration', { body: documentWith(wanted) });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const held = await h.app.store.listRoleAssignments(ENV, OPERATOR);
    assert.deepEqual(held.map((a) => `${a.roleId} ${a.scopeType} ${a.scopeId}`).sort(), wanted.map((w) => `${w.role.id} ${w.scope.type} ${w.scope.id}`).sort());
  });
});
