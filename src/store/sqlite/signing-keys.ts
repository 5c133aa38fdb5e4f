/** Environment signing keys (private half encrypted by the caller). */
import type { SigningKeyRecord } from '../../domain/signing-key.js';
import { signingKeyColumns, toSigningKey, type SigningKeyRow } from '../shared/environment-rows.js';
import { assertInEnvironment } from '../shared/scope.js';
import type { EnvScoped } from './scoped.js';

export class SigningKeys {
  constructor(private readonly scoped: EnvScoped) {}

  list(environmentId: string): SigningKeyRecord[] {
    return this.scoped.many<SigningKeyRow>('signing_keys', environmentId, '', [], 'created_at, id').map(toSigningKey);
  }

  insert(environmentId: string, key: SigningKeyRecord): void {
    assertInEnvironment(environmentId, key.environmentId, `signing key ${key.id}`);
    this.scoped.insert('signing_keys', environmentId, signingKeyColumns(key));
  }
}
