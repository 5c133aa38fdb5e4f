/**
 * The certificates uploaded to an application (Keyway extension `/applications/{appId}/keys`,
 * src/management/client-keys/): `applications[].certificates: [{kid?, certificate}]`, the upload's
 * JSON body. A certificate is matched by its `kid`, else by its SHA-256 thumbprint (`x5t#S256`,
 * the kid an upload without one gets). An upload cannot be changed: a kid the file gives another
 * certificate is deleted and uploaded again. Certificates are public: no secret is involved.
 */
import { InvalidDataError } from '../../domain/pingone-error.js';
import { parseCertificatePem } from '../../management/client-keys/certificate.js';
import { deleteCertificate, listCertificates, uploadCertificate } from '../../management/client-keys/certificate-service.js';
import { detail } from '../../management/errors.js';
import { embedded, nameTable, type Collection, type Engine, type Json } from '../engine.js';
import type { ApplicationParent } from './parents.js';

/** Thumbprint → kid of the application's uploads, filled when they are listed. */
const thumbprints = (p: ApplicationParent): string => `${p.environmentId} application ${p.applicationId} certificate thumbprint`;

/** The file's certificate, parsed as an upload is (PEM structure, key type, validity now, kid syntax). */
function parsed(e: Engine, spec: Json) {
  if (typeof spec.certificate !== 'string') throw new InvalidDataError([detail.required('certificate')]);
  if (spec.kid !== undefined && typeof spec.kid !== 'string') throw new InvalidDataError([detail.invalid('kid', 'kid must be a string.')]);
  const result = parseCertificatePem(spec.certificate, e.deps.now(), spec.kid);
  if (!result.ok) throw new InvalidDataError(result.details);
  return result;
}

export const clientCertificates: Collection<ApplicationParent> = {
  kind: 'clientCertificate',
  environmentIdOf: (p) => p.environmentId,
  nameOf(spec, p, e, pointer) {
    let kid: string | undefined;
    try {
      const { certificate } = parsed(e, spec);
      kid = typeof spec.kid === 'string' ? spec.kid : (nameTable(e, thumbprints(p)).get(certificate.thumbprintS256) ?? certificate.kid);
    } catch {
      return undefined; // body() reports the problem at the certificate's pointer
    }
    // The kid is the upload's id: a new one is made under it, not under a generated id.
    e.ids.set(pointer, kid);
    return kid;
  },
  async list(e, p) {
    if (p.isNew && e.mode === 'check') return [];
    const items = embedded(await listCertificates(e.deps, e.actor, p.environmentId, p.applicationId), 'keys');
    const table = nameTable(e, thumbprints(p));
    for (const k of items) table.set(k['x5t#S256'] as string, k.kid as string);
    return items.map((k) => ({ id: k.kid as string, name: k.kid as string, body: { certificate: k.certificate } }));
  },
  // The kid is what the certificate was matched by (nameOf): only the certificate is compared.
  body: async (e, _p, spec) => ({ certificate: parsed(e, spec).pem }),
  check: async () => undefined,
  create: async (e, p, id, body) => void (await uploadCertificate(e.deps, e.actor, p.environmentId, p.applicationId, { pem: body.certificate as string, kid: id })),
  async update(e, p, x, body) {
    await deleteCertificate(e.deps, e.actor, p.environmentId, p.applicationId, x.id);
    await uploadCertificate(e.deps, e.actor, p.environmentId, p.applicationId, { pem: body.certificate as string, kid: x.id });
  },
  remove: async (e, p, x) => deleteCertificate(e.deps, e.actor, p.environmentId, p.applicationId, x.id),
};
