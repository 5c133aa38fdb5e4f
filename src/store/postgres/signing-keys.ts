/** Environment signing keys (private half encrypted by the caller). */
import type { SigningKeyRecord } from '../../domain/signing-key.js';
import { signingKeyColumns, toSigningKey, type SigningKeyRow } from '../shared/environment-rows.js';
import { assertInEnvironment } from '../shared/scope.js';
import type { EnvScoped } from './scoped.js';

export class SigningKeys {
  constructor(private readonly scoped: EnvScoped) {}

  async list(environmentId: string): Promise<SigningKeyRecord[]> {
    return (await this.scoped.many<SigningKeyRow>('signing_keys', environmentId, '', [], 'created_at, id')).map(toSigningKey);
  }

  async insert(environmentId: string, key: SigningKeyRecord): Promise<void> {
    assertInEnvironment(environmentId, key.environmentId, `signing key ${key.id}`);
    await this.scoped.insert('signing_keys', environmentId, signingKeyColumns(key));
  }
}
