/** Client certificates uploaded as keys of an application. */
import { clientCertificateColumns, toClientCertificate, type ClientCertificateRow } from '../shared/client-auth-rows.js';
import { assertInEnvironment } from '../shared/scope.js';
import type { ClientCertificateRecord } from '../types.js';
import type { EnvScoped } from './scoped.js';

export class ClientCertificates {
  constructor(private readonly scoped: EnvScoped) {}

  async list(environmentId: string, applicationId: string): Promise<ClientCertificateRecord[]> {
    const rows = await this.scoped.many<ClientCertificateRow>(
      'client_certificates',
      environmentId,
      'application_id = ?',
      [applicationId],
      'created_at, id',
    );
    return rows.map(toClientCertificate);
  }

  async get(environmentId: string, applicationId: string, keyId: string): Promise<ClientCertificateRecord | undefined> {
    const row = await this.scoped.one<ClientCertificateRow>('client_certificates', environmentId, 'application_id = ? AND id = ?', [
      applicationId,
      keyId,
    ]);
    return row && toClientCertificate(row);
  }

  /** A clashing key id fails on the primary key: UniqueViolation('id'). */
  async insert(environmentId: string, c: ClientCertificateRecord): Promise<void> {
    assertInEnvironment(environmentId, c.environmentId, `certificate ${c.id}`);
    await this.scoped.insert('client_certificates', environmentId, clientCertificateColumns(c));
  }

  async delete(environmentId: string, applicationId: string, keyId: string): Promise<boolean> {
    return (await this.scoped.delete('client_certificates', environmentId, 'application_id = ? AND id = ?', [applicationId, keyId])) > 0;
  }
}
