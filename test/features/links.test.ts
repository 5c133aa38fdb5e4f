/**
 * Every `_links.*.href` Keyway emits can be followed: starting from one resource of every type it
 * serves (organization, license, environment, its settings and bill of materials, application,
 * secret, grant, role assignment, resource, scope, population, user, password, role), a walk
 * follows every link of every response, `_embedded` items included, and none answers 404
 * (PingOne's HAL-style `_links`, docs/pingone-reference.md §2.2). An operation Keyway does not
 * build answers 501, which says so.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ROLES } from '../../src/management/roles.js';
import {
  assignRole,
  createApp,
  createCustomScope,
  createEnvironment,
  expectStatus,
  startInProcess,
  type InProcess,
} from '../support/harness.js';

let h: InProcess;
before(async () => {
  h = await startInProcess();
});
after(() => h.close());

/** Every `href` under a `_links` member anywhere in `value`. */
function linksOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) linksOf(item, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) {
      if (key === '_links' && member !== null && typeof member === 'object') {
        for (const link of Object.values(member)) {
          const href = (link as { href?: unknown }).href;
          if (typeof href === 'string') out.push(href);
        }
      } else {
        linksOf(member, out);
      }
    }
  }
  return out;
}

describe('_links', () => {
  test('every href of every resource type resolves (not 404)', async () => {
    const env = await createEnvironment(h, 'Linked');
    const app = await createApp(h, env, 'linked-worker');
    const scope = await createCustomScope(h, env, 'orders', 'https://orders.example', 'orders:read');
    const grant = expectStatus(
      await h.inject('POST', `/v1/environments/${env}/applications/${app.id}/grants`, { body: { resource: { id: scope.resourceId }, scopes: [{ id: scope.scopeId }] } }),
      201,
    ).body.id as string;
    const assignment = expectStatus(await assignRole(h, env, app.id, ROLES.clientApplicationDeveloper.id, { type: 'ENVIRONMENT', id: env }), 201).body.id as string;
    const user = expectStatus(await h.inject('POST', `/v1/environments/${env}/users`, { body: { username: 'linked', email: 'linked@example.com' } }), 201).body.id as string;
    const base = `/v1/environments/${env}`;
    const starts = [
      '/v1/organizations',
      `/v1/organizations/${h.organizationId}/licenses`,
      `/v1/organizations/${h.organizationId}/licenses/${h.licenseId}`,
      '/v1/environments',
      base,
      `${base}/billOfMaterials`,
      `${base}/clientAuthenticationSettings`,
      `${base}/applications`,
      `${base}/applications/${app.id}`,
      `${base}/applications/${app.id}/secret`,
      `${base}/applications/${app.id}/grants/${grant}`,
      `${base}/applications/${app.id}/roleAssignments`,
      `${base}/applications/${app.id}/roleAssignments/${assignment}`,
      `${base}/resources`,
      `${base}/resources/${scope.resourceId}/scopes/${scope.scopeId}`,
      `${base}/populations`,
      `${base}/users`,
      `${base}/users/${user}`,
      `${base}/users/${user}/password`,
      '/v1/roles',
    ];
    const seen = new Map<string, number>();
    const queue = starts.map((path) => `${h.publicUrl}${path}`);
    while (queue.length > 0) {
      const href = queue.shift() as string;
      if (seen.has(href)) continue;
      assert.ok(href.startsWith(`${h.publicUrl}/v1/`), `a management link stays under the public URL: ${href}`);
      const reply = await h.inject('GET', href.slice(h.publicUrl.length));
      seen.set(href, reply.status);
      if (reply.status === 200) queue.push(...linksOf(reply.body).filter((next) => !seen.has(next)));
      assert.ok(seen.size < 2000, 'the walk terminates');
    }
    const broken = [...seen].filter(([, status]) => status === 404 || status >= 500 && status !== 501);
    assert.deepEqual(broken, [], 'no link answers 404 or fails');
    const statuses = new Set(seen.values());
    assert.ok(statuses.has(200));
    // The organization and license links of an environment, the application's `attributes` link.
    for (const path of [`/v1/organizations/${h.organizationId}`, `/v1/organizations/${h.organizationId}/licenses/${h.licenseId}`]) {
      assert.equal(seen.get(`${h.publicUrl}${path}`), 200, path);
    }
    assert.equal(seen.get(`${h.publicUrl}${base}/applications/${app.id}/attributes`), 200);
  });
});
