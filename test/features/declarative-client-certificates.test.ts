/**
 * Declarative configuration of the client certificates uploaded to an application (README,
 * "Declarative configuration"; extension `/applications/{appId}/keys`): matched by kid, else by
 * the certificate's SHA-256 thumbprint. A broken certificate is caught by the check pass with
 * nothing written; the same file again changes nothing; one changed certificate is exactly one
 * update; an export (no secrets needed for them) applied to an empty server uploads the same keys.
 */
import { describe, test, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { X509Certificate, createHash } from 'node:crypto';
import { startInProcess, type InProcess } from '../support/harness.js';
import { pemPair, type PemPair } from '../support/declarative-families.js';

const ENV = '7a2e3b40-0000-4000-8000-000000000301';
const APP = '7a2e3b40-0000-4000-8000-000000000311';
const KEYS = `/v1/environments/${ENV}/applications/${APP}/keys`;

type Doc = { environments: any[] };

let a: PemPair;
let b: PemPair;
let c: PemPair;

/** The kid an upload without one gets: the certificate's SHA-256 thumbprint, base64url. */
const thumbprint = (pem: string): string => createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url');

function certificatesDocument(): Doc {
  return {
    environments: [
      {
        id: ENV,
        name: 'Certificates',
        type: 'SANDBOX',
        region: 'NA',
        applications: [
          {
            id: APP,
            name: 'Partner',
            type: 'WORKER',
            protocol: 'OPENID_CONNECT',
            enabled: true,
            tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
            certificates: [{ certificate: a.certificate }, { kid: 'partner-2026', certificate: b.certificate }],
          },
        ],
      },
    ],
  };
}

async function apply(h: InProcess, doc: unknown, query = ''): Promise<any> {
  const reply = await h.inject('POST', `/v1/keyway/configuration${query}`, { body: doc });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body;
}

const changes = (result: any): string[] => result.plan.filter((e: any) => e.action !== 'unchanged').map((e: any) => `${e.action} ${e.kind} ${e.id}`);

async function uploads(h: InProcess): Promise<Array<{ kid: string; thumbprint: string }>> {
  const reply = await h.inject('GET', KEYS);
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body._embedded.keys.map((k: any) => ({ kid: k.kid, thumbprint: k['x5t#S256'] })).sort((x: any, y: any) => x.kid.localeCompare(y.kid));
}

describe('declarative configuration: client certificates uploaded to an application', () => {
  let h: InProcess;
  before(async () => {
    [a, b, c] = [await pemPair('partner a'), await pemPair('partner b'), await pemPair('partner c')];
    h = await startInProcess();
  });
  after(() => h.close());

  test('a private key given as a certificate and a bad kid are found by the check pass; nothing written', async () => {
    const doc = certificatesDocument();
    doc.environments[0].applications[0].certificates[0].certificate = a.privateKey;
    doc.environments[0].applications[0].certificates[1].kid = 'has space';
    const reply = await h.inject('POST', '/v1/keyway/configuration', { body: doc });
    assert.equal(reply.status, 400, JSON.stringify(reply.body));
    assert.deepEqual(reply.body.details.map((d: any) => d.target).sort(), [
      '/environments/0/applications/0/certificates/0/certificate',
      '/environments/0/applications/0/certificates/1/kid',
    ]);
    assert.equal((await h.inject('GET', `/v1/environments/${ENV}`)).status, 404, 'nothing written');
  });

  test('one kid twice is found by the check pass, not by a failed upload in the write pass; nothing written', async () => {
    const doc = certificatesDocument();
    const app = doc.environments[0].applications[0];
    app.certificates.push({ kid: 'partner-2026', certificate: c.certificate });
    const reply = await h.inject('POST', '/v1/keyway/configuration', { body: doc });
    assert.equal(reply.status, 400, JSON.stringify(reply.body));
    assert.deepEqual(reply.body.details.map((d: any) => `${d.target}: ${d.message}`), ['/environments/0/applications/0/certificates/2: clientCertificate "partner-2026" is listed twice.']);
    assert.equal((await h.inject('GET', `/v1/environments/${ENV}`)).status, 404, 'nothing written');
  });

  test('certificates are uploaded with the file kid, or their thumbprint as the upload gives', async () => {
    const result = await apply(h, certificatesDocument());
    assert.deepEqual(changes(result).filter((x) => x.includes('clientCertificate')).sort(), [`create clientCertificate ${thumbprint(a.certificate)}`, 'create clientCertificate partner-2026'].sort());
    assert.deepEqual(await uploads(h), [
      { kid: thumbprint(a.certificate), thumbprint: thumbprint(a.certificate) },
      { kid: 'partner-2026', thumbprint: thumbprint(b.certificate) },
    ].sort((x, y) => x.kid.localeCompare(y.kid)));
  });

  test('the same file again changes nothing; another certificate under a kid is exactly one update; one left out is only would delete', async () => {
    assert.deepEqual(changes(await apply(h, certificatesDocument())), []);
    const doc = certificatesDocument();
    doc.environments[0].applications[0].certificates[1].certificate = c.certificate;
    assert.deepEqual(changes(await apply(h, doc)), ['update clientCertificate partner-2026']);
    assert.equal((await uploads(h)).find((k) => k.kid === 'partner-2026')?.thumbprint, thumbprint(c.certificate));
    doc.environments[0].applications[0].certificates.pop();
    assert.deepEqual(changes(await apply(h, doc)), ['would delete clientCertificate partner-2026']);
    assert.equal((await uploads(h)).length, 2);
  });

  test('a certificate without kid is matched by its thumbprint, whatever kid it was uploaded with', async () => {
    const upload = await h.inject('POST', KEYS, { body: { certificate: b.certificate, kid: 'by-api' } });
    assert.equal(upload.status, 201, JSON.stringify(upload.body));
    const doc = certificatesDocument();
    doc.environments[0].applications[0].certificates[1] = { kid: 'partner-2026', certificate: c.certificate };
    doc.environments[0].applications[0].certificates.push({ certificate: b.certificate });
    const result = await apply(h, doc);
    assert.deepEqual(changes(result), []);
    assert.ok(result.plan.some((e: any) => e.kind === 'clientCertificate' && e.id === 'by-api' && e.action === 'unchanged'), JSON.stringify(result.plan));
  });

  test('export writes them without includeSecrets; applied on an empty server it uploads the same keys', async () => {
    const plain = await h.inject('GET', `/v1/keyway/configuration?environmentId=${ENV}`);
    assert.equal(plain.status, 200, JSON.stringify(plain.body));
    assert.equal(plain.body.environments[0].applications[0].certificates.length, 3);
    const exported = await h.inject('GET', `/v1/keyway/configuration?environmentId=${ENV}&includeSecrets=true`);
    const fresh = await startInProcess();
    try {
      await apply(fresh, exported.body);
      assert.deepEqual(await uploads(fresh), await uploads(h));
      assert.deepEqual(changes(await apply(fresh, exported.body)), []);
    } finally {
      await fresh.close();
    }
  });
});
