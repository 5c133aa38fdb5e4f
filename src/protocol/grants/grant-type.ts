/** RFC 6749 §5.2 `unauthorized_client`: each grant is open only to applications configured for it. */
import type { GrantType } from '../../domain/applications/grant-type.js';
import type { Client } from '../client-auth/ports.js';
import { UnauthorizedClient } from '../errors.js';

export function requireGrantType(client: Client, type: GrantType): void {
  if (!client.grantTypes.includes(type)) throw new UnauthorizedClient(`the application is not allowed the ${type.toLowerCase()} grant`);
}
