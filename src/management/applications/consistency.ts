/**
 * Cross-field rules between type, grant types, response types and the token endpoint
 * authentication method (docs/pingone-reference.md §4.4, §4.5). They run on effective values
 * (defaults applied) and are skipped for any value that was itself invalid.
 */
import type { ApplicationType } from '../../domain/applications/application-type.js';
import type { GrantType } from '../../domain/applications/grant-type.js';
import type { ResponseType } from '../../domain/applications/response-type.js';
import type { TokenEndpointAuthMethod } from '../../domain/applications/token-endpoint-auth-method.js';
import { detail } from '../errors.js';
import type { FieldReader } from '../fields.js';

export interface GrantSettings {
  type: ApplicationType | undefined;
  grantTypes: readonly GrantType[] | undefined;
  responseTypes: readonly ResponseType[] | undefined;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod | undefined;
  /** True when the method came from the type's default rather than the body. */
  methodDefaulted: boolean;
}

/** Grant types after which a refresh token can be issued. */
const REFRESHABLE_GRANTS: readonly GrantType[] = ['AUTHORIZATION_CODE', 'DEVICE_CODE', 'CIBA', 'TOKEN_EXCHANGE'];
const METHOD = 'tokenEndpointAuthMethod';

export function checkGrantConsistency(r: FieldReader, s: GrantSettings): void {
  checkPublicClient(r, s);
  if (s.grantTypes && s.responseTypes) checkResponseTypes(r, s.grantTypes, s.responseTypes);
  if (s.grantTypes) checkRefreshToken(r, s.grantTypes);
}

/** NONE is never allowed for WORKER/SERVICE, nor with CLIENT_CREDENTIALS. */
function checkPublicClient(r: FieldReader, s: GrantSettings): void {
  if (s.tokenEndpointAuthMethod !== 'NONE') return;
  const note = s.methodDefaulted && s.type ? ` (NONE is the default for ${s.type}; send another tokenEndpointAuthMethod)` : '';
  if (s.type === 'WORKER' || s.type === 'SERVICE') {
    r.report(detail.constraint(METHOD, `${s.type} applications cannot use tokenEndpointAuthMethod NONE.`));
  } else if (s.grantTypes?.includes('CLIENT_CREDENTIALS')) {
    r.report(detail.constraint(METHOD, `The CLIENT_CREDENTIALS grant type cannot be used with tokenEndpointAuthMethod NONE${note}.`));
  }
}

function checkResponseTypes(r: FieldReader, grants: readonly GrantType[], responses: readonly ResponseType[]): void {
  const target = 'responseTypes';
  if (grants.includes('IMPLICIT') && !responses.includes('TOKEN') && !responses.includes('ID_TOKEN')) {
    r.report(detail.constraint(target, 'The IMPLICIT grant type needs the TOKEN or ID_TOKEN response type.'));
  }
  if (grants.includes('AUTHORIZATION_CODE') && !responses.includes('CODE')) {
    r.report(detail.constraint(target, 'The AUTHORIZATION_CODE grant type needs the CODE response type.'));
  }
  if (responses.includes('CODE') && !grants.includes('AUTHORIZATION_CODE')) {
    r.report(detail.constraint(target, 'The CODE response type needs the AUTHORIZATION_CODE grant type.'));
  }
}

function checkRefreshToken(r: FieldReader, grants: readonly GrantType[]): void {
  if (!grants.includes('REFRESH_TOKEN') || grants.some((g) => REFRESHABLE_GRANTS.includes(g))) return;
  r.report(
    detail.constraint(
      'grantTypes',
      `REFRESH_TOKEN needs a grant type that issues refresh tokens: ${REFRESHABLE_GRANTS.join(', ')}.`,
    ),
  );
}
