import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DetailCode } from '../../../src/domain/pingone-error.js';
import { parseApplicationBody } from '../../../src/management/applications/validate.js';
import {
  CREATE,
  EC_JWKS_STRING,
  JWKS_STRING,
  PRIVATE_D,
  PRIVATE_JWKS_STRING,
  assertOneViolation,
  detailsOf,
  minimalBody,
  seedBody,
} from './applications-fixtures.js';

type Case = [label: string, body: Record<string, unknown>, code: DetailCode, target: string];

const web = (over: Record<string, unknown>) => minimalBody('WEB_APP', over);
const without = (key: string) => {
  const body = minimalBody('WEB_APP');
  delete body[key];
  return body;
};

const cases: Case[] = [
  // required base fields and their types
  ['name missing', without('name'), 'REQUIRED_VALUE', 'name'],
  ['name null', web({ name: null }), 'REQUIRED_VALUE', 'name'],
  ['name empty', web({ name: '' }), 'INVALID_VALUE', 'name'],
  ['name blank', web({ name: '   ' }), 'INVALID_VALUE', 'name'],
  ['name not a string', web({ name: 42 }), 'INVALID_VALUE', 'name'],
  ['name too long', web({ name: 'n'.repeat(257) }), 'SIZE_LIMIT_EXCEEDED', 'name'],
  ['name with U+0000', web({ name: 'a\u0000b' }), 'INVALID_VALUE', 'name'],
  ['name with a lone surrogate', web({ name: 'a\ud800b' }), 'INVALID_VALUE', 'name'],
  ['description too long', web({ description: 'd'.repeat(1025) }), 'SIZE_LIMIT_EXCEEDED', 'description'],
  ['description with U+0000', web({ description: '\u0000' }), 'INVALID_VALUE', 'description'],
  ['enabled missing', without('enabled'), 'REQUIRED_VALUE', 'enabled'],
  ['enabled as string', web({ enabled: 'true' }), 'INVALID_VALUE', 'enabled'],
  ['enabled as number', web({ enabled: 1 }), 'INVALID_VALUE', 'enabled'],
  ['type missing', without('type'), 'REQUIRED_VALUE', 'type'],
  ['type unknown', web({ type: 'MOBILE_APP' }), 'INVALID_VALUE', 'type'],
  ['type lower case', web({ type: 'web_app' }), 'INVALID_VALUE', 'type'],
  ['type platform app', web({ type: 'PING_ONE_PORTAL' }), 'INVALID_VALUE', 'type'],
  ['protocol missing', without('protocol'), 'REQUIRED_VALUE', 'protocol'],
  ['protocol SAML', web({ protocol: 'SAML' }), 'INVALID_VALUE', 'protocol'],
  ['protocol WS_FED', web({ protocol: 'WS_FED' }), 'INVALID_VALUE', 'protocol'],
  ['protocol EXTERNAL_LINK', web({ protocol: 'EXTERNAL_LINK' }), 'INVALID_VALUE', 'protocol'],
  ['protocol unknown', web({ protocol: 'OIDC' }), 'INVALID_VALUE', 'protocol'],
  ['assignActorRoles as string on create', web({ assignActorRoles: 'false' }), 'INVALID_VALUE', 'assignActorRoles'],
  // enums and arrays of enums
  ['grantTypes not an array', web({ grantTypes: 'AUTHORIZATION_CODE' }), 'INVALID_VALUE', 'grantTypes'],
  ['grantTypes empty', web({ grantTypes: [] }), 'INVALID_VALUE', 'grantTypes'],
  ['grantTypes unknown member', web({ grantTypes: ['AUTHORIZATION_CODE', 'PASSWORD'] }), 'INVALID_VALUE', 'grantTypes[1]'],
  ['grantTypes lower case', web({ grantTypes: ['authorization_code'] }), 'INVALID_VALUE', 'grantTypes[0]'],
  ['grantTypes duplicate', web({ grantTypes: ['AUTHORIZATION_CODE', 'AUTHORIZATION_CODE'] }), 'INVALID_VALUE', 'grantTypes[1]'],
  ['grantTypes too many', web({ grantTypes: Array(8).fill('AUTHORIZATION_CODE') }), 'SIZE_LIMIT_EXCEEDED', 'grantTypes'],
  ['responseTypes unknown', web({ responseTypes: ['CODE', 'code id_token'] }), 'INVALID_VALUE', 'responseTypes[1]'],
  ['responseTypes duplicate', web({ responseTypes: ['CODE', 'CODE'] }), 'INVALID_VALUE', 'responseTypes[1]'],
  ['tokenEndpointAuthMethod lower case', web({ tokenEndpointAuthMethod: 'client_secret_basic' }), 'INVALID_VALUE', 'tokenEndpointAuthMethod'],
  ['pkceEnforcement unknown', web({ pkceEnforcement: 'S256' }), 'INVALID_VALUE', 'pkceEnforcement'],
  ['parRequirement unknown', web({ parRequirement: 'ALWAYS' }), 'INVALID_VALUE', 'parRequirement'],
  ['refreshTokenType unknown', web({ refreshTokenType: 'JWT' }), 'INVALID_VALUE', 'refreshTokenType'],
  // integers and ranges
  ['parTimeout as string', web({ parTimeout: '60' }), 'INVALID_VALUE', 'parTimeout'],
  ['parTimeout fractional', web({ parTimeout: 1.5 }), 'INVALID_VALUE', 'parTimeout'],
  ['parTimeout 0', web({ parTimeout: 0 }), 'OUT_OF_RANGE', 'parTimeout'],
  ['parTimeout 601', web({ parTimeout: 601 }), 'OUT_OF_RANGE', 'parTimeout'],
  ['devicePollingInterval 0', web({ devicePollingInterval: 0 }), 'OUT_OF_RANGE', 'devicePollingInterval'],
  ['devicePollingInterval 61', web({ devicePollingInterval: 61 }), 'OUT_OF_RANGE', 'devicePollingInterval'],
  ['deviceTimeout 3601', web({ deviceTimeout: 3601 }), 'OUT_OF_RANGE', 'deviceTimeout'],
  ['deviceTimeout negative', web({ deviceTimeout: -5 }), 'OUT_OF_RANGE', 'deviceTimeout'],
  ['refreshTokenDuration 59', web({ refreshTokenDuration: 59 }), 'OUT_OF_RANGE', 'refreshTokenDuration'],
  ['refreshTokenDuration 2^31', web({ refreshTokenDuration: 2147483648 }), 'OUT_OF_RANGE', 'refreshTokenDuration'],
  ['refreshTokenRollingDuration 59', web({ refreshTokenRollingDuration: 59 }), 'OUT_OF_RANGE', 'refreshTokenRollingDuration'],
  ['grace period 86401', web({ refreshTokenRollingGracePeriodDuration: 86401 }), 'OUT_OF_RANGE', 'refreshTokenRollingGracePeriodDuration'],
  ['grace period negative', web({ refreshTokenRollingGracePeriodDuration: -1 }), 'OUT_OF_RANGE', 'refreshTokenRollingGracePeriodDuration'],
  ['refresh duration above rolling', web({ refreshTokenDuration: 7200, refreshTokenRollingDuration: 3600 }), 'CONSTRAINT_VIOLATION', 'refreshTokenDuration'],
  [
    'refresh duration above the default rolling duration',
    web({ grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'], refreshTokenDuration: 20_000_000 }),
    'CONSTRAINT_VIOLATION',
    'refreshTokenDuration',
  ],
  ['devicePathId pattern', web({ devicePathId: 'living room!' }), 'INVALID_VALUE', 'devicePathId'],
  ['devicePathId too long', web({ devicePathId: 'a'.repeat(51) }), 'SIZE_LIMIT_EXCEEDED', 'devicePathId'],
  // booleans are booleans
  ['hiddenFromAppPortal as string', web({ hiddenFromAppPortal: 'true' }), 'INVALID_VALUE', 'hiddenFromAppPortal'],
  ['idpSignoff as number', web({ idpSignoff: 0 }), 'INVALID_VALUE', 'idpSignoff'],
  ['includeX5t as string', web({ includeX5t: 'yes' }), 'INVALID_VALUE', 'includeX5t'],
  ['requestScopesForMultipleResourcesEnabled as string', web({ requestScopesForMultipleResourcesEnabled: 'false' }), 'INVALID_VALUE', 'requestScopesForMultipleResourcesEnabled'],
  ['allowWildcardInRedirectUris as string', web({ allowWildcardInRedirectUris: 'true' }), 'INVALID_VALUE', 'allowWildcardInRedirectUris'],
  // consistency
  ['request object flags both true', web({ supportUnsignedRequestObject: true, requireSignedRequestObject: true }), 'CONSTRAINT_VIOLATION', 'requireSignedRequestObject'],
  ['WORKER with NONE', minimalBody('WORKER', { tokenEndpointAuthMethod: 'NONE' }), 'CONSTRAINT_VIOLATION', 'tokenEndpointAuthMethod'],
  ['SERVICE with NONE', minimalBody('SERVICE', { tokenEndpointAuthMethod: 'NONE', grantTypes: ['TOKEN_EXCHANGE'] }), 'CONSTRAINT_VIOLATION', 'tokenEndpointAuthMethod'],
  ['CLIENT_CREDENTIALS with explicit NONE', web({ grantTypes: ['CLIENT_CREDENTIALS'], tokenEndpointAuthMethod: 'NONE' }), 'CONSTRAINT_VIOLATION', 'tokenEndpointAuthMethod'],
  ['CLIENT_CREDENTIALS with the SPA default NONE', minimalBody('SINGLE_PAGE_APP', { grantTypes: ['CLIENT_CREDENTIALS'] }), 'CONSTRAINT_VIOLATION', 'tokenEndpointAuthMethod'],
  ['IMPLICIT without TOKEN or ID_TOKEN', web({ grantTypes: ['IMPLICIT'], responseTypes: [] }), 'CONSTRAINT_VIOLATION', 'responseTypes'],
  ['AUTHORIZATION_CODE without CODE', web({ grantTypes: ['AUTHORIZATION_CODE'], responseTypes: ['TOKEN'] }), 'CONSTRAINT_VIOLATION', 'responseTypes'],
  ['CODE without AUTHORIZATION_CODE', web({ grantTypes: ['IMPLICIT'], responseTypes: ['TOKEN', 'CODE'] }), 'CONSTRAINT_VIOLATION', 'responseTypes'],
  ['REFRESH_TOKEN alone', web({ grantTypes: ['REFRESH_TOKEN'], responseTypes: [] }), 'CONSTRAINT_VIOLATION', 'grantTypes'],
  ['REFRESH_TOKEN with CLIENT_CREDENTIALS', minimalBody('WORKER', { grantTypes: ['CLIENT_CREDENTIALS', 'REFRESH_TOKEN'] }), 'CONSTRAINT_VIOLATION', 'grantTypes'],
  ['tags on a WEB_APP', web({ tags: ['PING_FED_CONNECTION_INTEGRATION'] }), 'CONSTRAINT_VIOLATION', 'tags'],
  ['tags unknown', minimalBody('WORKER', { tags: ['BLUE'] }), 'INVALID_VALUE', 'tags[0]'],
  ['signing on a SERVICE', minimalBody('SERVICE', { signing: { keyRotationPolicy: { id: 'krp' } } }), 'CONSTRAINT_VIOLATION', 'signing'],
  ['signing without keyRotationPolicy', web({ signing: {} }), 'REQUIRED_VALUE', 'signing.keyRotationPolicy'],
  ['signing policy without id', web({ signing: { keyRotationPolicy: {} } }), 'REQUIRED_VALUE', 'signing.keyRotationPolicy.id'],
  ['signing not an object', web({ signing: 'krp' }), 'INVALID_VALUE', 'signing'],
  // objects
  ['icon without href', web({ icon: { id: 'i' } }), 'REQUIRED_VALUE', 'icon.href'],
  ['icon as string', web({ icon: 'https://cdn.example.com/i.png' }), 'INVALID_VALUE', 'icon'],
  ['accessControl role type unknown', web({ accessControl: { role: { type: 'EVERYONE' } } }), 'INVALID_VALUE', 'accessControl.role.type'],
  ['accessControl group without groups', web({ accessControl: { group: { type: 'ANY_GROUP' } } }), 'REQUIRED_VALUE', 'accessControl.group.groups'],
  ['accessControl group empty', web({ accessControl: { group: { type: 'ANY_GROUP', groups: [] } } }), 'INVALID_VALUE', 'accessControl.group.groups'],
  ['accessControl group without id', web({ accessControl: { group: { type: 'ALL_GROUPS', groups: [{}] } } }), 'REQUIRED_VALUE', 'accessControl.group.groups[0].id'],
  // client authentication keys and Keyway extensions
  ['jwks and jwksUrl together', web({ jwks: JWKS_STRING, jwksUrl: 'https://app.example.com/jwks' }), 'CONSTRAINT_VIOLATION', 'jwks'],
  ['PRIVATE_KEY_JWT without keys', web({ tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT' }), 'REQUIRED_VALUE', 'jwks'],
  ['jwks as an object', web({ jwks: { keys: [] } }), 'INVALID_VALUE', 'jwks'],
  ['jwks too long', web({ jwks: ' '.repeat(65537) }), 'SIZE_LIMIT_EXCEEDED', 'jwks'],
  ['jwks with U+0000', web({ jwks: `${JWKS_STRING}\u0000` }), 'INVALID_VALUE', 'jwks'],
  ['jwksUrl not a string', web({ jwksUrl: 7 }), 'INVALID_VALUE', 'jwksUrl'],
  ['signing alg with CLIENT_SECRET_BASIC', web({ tokenEndpointAuthSigningAlg: 'RS256' }), 'CONSTRAINT_VIOLATION', 'tokenEndpointAuthSigningAlg'],
  ['HS256 pinned for PRIVATE_KEY_JWT', { ...seedBody(), tokenEndpointAuthSigningAlg: 'HS256' }, 'INVALID_VALUE', 'tokenEndpointAuthSigningAlg'],
  ['none pinned for PRIVATE_KEY_JWT', { ...seedBody(), tokenEndpointAuthSigningAlg: 'none' }, 'INVALID_VALUE', 'tokenEndpointAuthSigningAlg'],
  ['RS256 pinned for CLIENT_SECRET_JWT', web({ tokenEndpointAuthMethod: 'CLIENT_SECRET_JWT', tokenEndpointAuthSigningAlg: 'RS256' }), 'INVALID_VALUE', 'tokenEndpointAuthSigningAlg'],
  ['audience policy unknown', { ...seedBody(), clientAssertionAudiencePolicy: 'ANY' }, 'INVALID_VALUE', 'clientAssertionAudiencePolicy'],
  ['audience policy with CLIENT_SECRET_POST', web({ tokenEndpointAuthMethod: 'CLIENT_SECRET_POST', clientAssertionAudiencePolicy: 'ISSUER_ONLY' }), 'CONSTRAINT_VIOLATION', 'clientAssertionAudiencePolicy'],
];

describe('invalid bodies: one detail with the exact code and target', () => {
  for (const [label, body, code, target] of cases) {
    it(`${label} -> ${code} ${target}`, () => {
      assertOneViolation(body, code, target);
    });
  }
});

describe('error details', () => {
  it('rejects a body that is not a JSON object', () => {
    for (const body of [null, [], 'name', 42, true]) {
      const [only] = detailsOf(body);
      assert.equal(only?.code, 'INVALID_VALUE');
      assert.equal(only?.target, undefined);
    }
  });

  it('reports every violation at once, in body-reading order', () => {
    const details = detailsOf({
      name: '',
      enabled: 'yes',
      type: 'WEB_APP',
      protocol: 'SAML',
      parTimeout: 0,
      redirectUris: ['http://app.example.com/cb'],
      corsSettings: { behavior: 'ALLOW_SPECIFIC_ORIGINS' },
    });
    assert.deepEqual(
      details.map((d) => `${d.code} ${d.target}`),
      [
        'INVALID_VALUE name',
        'INVALID_VALUE enabled',
        'INVALID_VALUE protocol',
        'OUT_OF_RANGE parTimeout',
        'INVALID_VALUE redirectUris[0]',
        'REQUIRED_VALUE corsSettings.origins',
      ],
    );
  });

  it('OUT_OF_RANGE carries the range', () => {
    const d = assertOneViolation(web({ parTimeout: 601 }), 'OUT_OF_RANGE', 'parTimeout');
    assert.deepEqual(d.innerError, { rangeMinimumValue: 1, rangeMaximumValue: 600 });
    const r = assertOneViolation(web({ refreshTokenDuration: 1 }), 'OUT_OF_RANGE', 'refreshTokenDuration');
    assert.deepEqual(r.innerError, { rangeMinimumValue: 60, rangeMaximumValue: 2147483647 });
  });

  it('enum violations list the allowed values', () => {
    const type = assertOneViolation(web({ type: 'PING_ONE_PORTAL' }), 'INVALID_VALUE', 'type');
    assert.deepEqual(type.innerError?.allowedValues, ['WEB_APP', 'NATIVE_APP', 'SINGLE_PAGE_APP', 'WORKER', 'SERVICE', 'CUSTOM_APP']);
    const grant = assertOneViolation(web({ grantTypes: ['PASSWORD'] }), 'INVALID_VALUE', 'grantTypes[0]');
    assert.equal(grant.innerError?.allowedValues?.includes('DEVICE_CODE'), true);
    const alg = assertOneViolation({ ...seedBody(), tokenEndpointAuthSigningAlg: 'HS256' }, 'INVALID_VALUE', 'tokenEndpointAuthSigningAlg');
    assert.deepEqual(alg.innerError?.allowedValues, ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']);
  });

  it('explains that only OPENID_CONNECT is supported', () => {
    const d = assertOneViolation(web({ protocol: 'SAML' }), 'INVALID_VALUE', 'protocol');
    assert.match(d.message, /OPENID_CONNECT (applications )?only/);
    assert.deepEqual(d.innerError?.allowedValues, ['OPENID_CONNECT']);
  });

  it('explains the PRIVATE_KEY_JWT key requirement and mutual exclusion', () => {
    const missing = assertOneViolation(web({ tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT' }), 'REQUIRED_VALUE', 'jwks');
    assert.match(missing.message, /PRIVATE_KEY_JWT/);
    assert.match(missing.message, /jwksUrl/);
    const both = assertOneViolation(web({ jwks: JWKS_STRING, jwksUrl: 'https://a.example.com/jwks' }), 'CONSTRAINT_VIOLATION', 'jwks');
    assert.match(both.message, /mutually exclusive/);
  });

  it('mentions the type default when NONE was not sent', () => {
    const d = assertOneViolation(minimalBody('SINGLE_PAGE_APP', { grantTypes: ['CLIENT_CREDENTIALS'] }), 'CONSTRAINT_VIOLATION', 'tokenEndpointAuthMethod');
    assert.match(d.message, /default for SINGLE_PAGE_APP/);
  });
});

describe('client keys', () => {
  it('uploaded certificates satisfy PRIVATE_KEY_JWT', () => {
    const config = parseApplicationBody(web({ tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT' }), { kind: 'create', hasUploadedCertificates: true });
    assert.equal(config.tokenEndpointAuthMethod, 'PRIVATE_KEY_JWT');
    assert.equal(config.jwks, undefined);
  });

  it('jwksUrl alone satisfies PRIVATE_KEY_JWT', () => {
    const config = parseApplicationBody(
      web({ tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwksUrl: 'https://app.example.com/jwks.json' }),
      CREATE,
    );
    assert.equal(config.jwksUrl, 'https://app.example.com/jwks.json');
  });

  it('keeps the Keyway extensions', () => {
    const config = parseApplicationBody(
      { ...seedBody(), tokenEndpointAuthSigningAlg: 'RS256', clientAssertionAudiencePolicy: 'ISSUER_ONLY_STRING' },
      CREATE,
    );
    assert.equal(config.tokenEndpointAuthSigningAlg, 'RS256');
    assert.equal(config.clientAssertionAudiencePolicy, 'ISSUER_ONLY_STRING');
    const hs = parseApplicationBody(web({ tokenEndpointAuthMethod: 'CLIENT_SECRET_JWT', tokenEndpointAuthSigningAlg: 'HS512' }), CREATE);
    assert.equal(hs.tokenEndpointAuthSigningAlg, 'HS512');
  });

  it('jwks is allowed with other methods (request-object verification)', () => {
    assert.equal(parseApplicationBody(web({ jwks: JWKS_STRING }), CREATE).jwks, JWKS_STRING);
  });

  // The next three rely on the real validator in src/management/client-keys/jwks.ts.
  it('rejects a jwks holding private key material without echoing it', () => {
    const details = detailsOf({ ...seedBody(), jwks: PRIVATE_JWKS_STRING });
    assert.ok(details.length > 0);
    assert.ok(details.every((d) => d.target?.startsWith('jwks')), JSON.stringify(details));
    const text = JSON.stringify(details);
    assert.equal(text.includes(PRIVATE_D), false);
    assert.equal(text.includes(PRIVATE_JWKS_STRING), false);
  });

  it('rejects a jwks that is not JSON', () => {
    const details = detailsOf({ ...seedBody(), jwks: '{"keys": [' });
    assert.ok(details.length > 0 && details.every((d) => d.code === 'INVALID_VALUE' && d.target?.startsWith('jwks')), JSON.stringify(details));
  });

  it('rejects a pinned alg that no registered key can verify', () => {
    assertOneViolation({ ...seedBody(), tokenEndpointAuthSigningAlg: 'ES256' }, 'CONSTRAINT_VIOLATION', 'tokenEndpointAuthSigningAlg');
    const ec = parseApplicationBody({ ...seedBody(), jwks: EC_JWKS_STRING, tokenEndpointAuthSigningAlg: 'ES256' }, CREATE);
    assert.equal(ec.tokenEndpointAuthSigningAlg, 'ES256');
  });
});
