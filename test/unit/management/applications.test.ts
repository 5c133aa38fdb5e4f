import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApplicationConfig } from '../../../src/domain/applications/application-config.js';
import type { ApplicationType } from '../../../src/domain/applications/application-type.js';
import { toApplicationResponse } from '../../../src/management/applications/serialize.js';
import { parseApplicationBody } from '../../../src/management/applications/validate.js';
import { validateAgainst } from '../../support/openapi.js';
import {
  API_BASE,
  APP_ID,
  CREATE,
  ENV_ID,
  JWKS_PRETTY,
  JWKS_STRING,
  assertOneViolation,
  minimalBody,
  record,
  replaceOf,
  seedBody,
} from './applications-fixtures.js';

/** Field order of PingOne's response to the seed PUT (docs/pingone-reference.md §4.8). */
const SEED_RESPONSE_KEYS = [
  '_links',
  'environment',
  'id',
  'name',
  'description',
  'enabled',
  'hiddenFromAppPortal',
  'type',
  'protocol',
  'createdAt',
  'updatedAt',
  'clientId',
  'assignActorRoles',
  'responseTypes',
  'grantTypes',
  'jwks',
  'tokenEndpointAuthMethod',
  'pkceEnforcement',
  'requestScopesForMultipleResourcesEnabled',
  'parRequirement',
  'devicePollingInterval',
  'redirectUris',
  'parTimeout',
  'deviceTimeout',
];

describe('seed: PUT "Update app with PRIVATE_KEY_JWT"', () => {
  const created = parseApplicationBody(seedBody(), CREATE);

  it('parses on create with the documented defaults', () => {
    assert.deepEqual(created, {
      name: 'Shared-Web-App',
      description: seedBody().description,
      enabled: true,
      type: 'WEB_APP',
      protocol: 'OPENID_CONNECT',
      assignActorRoles: false,
      hiddenFromAppPortal: false,
      grantTypes: ['AUTHORIZATION_CODE'],
      responseTypes: ['CODE'],
      tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
      pkceEnforcement: 'OPTIONAL',
      parRequirement: 'OPTIONAL',
      parTimeout: 60,
      devicePollingInterval: 5,
      deviceTimeout: 600,
      requestScopesForMultipleResourcesEnabled: false,
      redirectUris: ['http://localhost:3000/callback'],
      jwks: JWKS_STRING,
    });
  });

  it('parses as a replacement of an existing WEB_APP', () => {
    const existing = parseApplicationBody(minimalBody('WEB_APP', { name: 'Shared-Web-App' }), CREATE);
    assert.deepEqual(parseApplicationBody(seedBody(), replaceOf(existing)), created);
  });

  it('answers with every field of the PingOne response, in PingOne order', () => {
    const response = toApplicationResponse(record(created), API_BASE);
    assert.deepEqual(Object.keys(response), SEED_RESPONSE_KEYS);
    const self = `${API_BASE}/environments/${ENV_ID}/applications/${APP_ID}`;
    assert.deepEqual(response._links, {
      self: { href: self },
      environment: { href: `${API_BASE}/environments/${ENV_ID}` },
      attributes: { href: `${self}/attributes` },
      secret: { href: `${self}/secret` },
      grants: { href: `${self}/grants` },
    });
    assert.deepEqual(response.environment, { id: ENV_ID });
    assert.equal(response.id, APP_ID);
    assert.equal(response.clientId, APP_ID);
    assert.equal(response.createdAt, '2024-05-01T10:00:00.000Z');
    assert.equal(response.updatedAt, '2024-05-02T11:30:15.123Z');
    assert.equal(response.jwks, JWKS_STRING);
    assert.equal(response.hiddenFromAppPortal, false);
    assert.equal(response.assignActorRoles, false);
  });

  it('validates against the ApplicationOIDC schema', () => {
    assert.deepEqual(validateAgainst('ApplicationOIDC', toApplicationResponse(record(created), API_BASE)), []);
  });
});

describe('defaults per application type', () => {
  const expected: Record<ApplicationType, Pick<ApplicationConfig, 'grantTypes' | 'responseTypes' | 'tokenEndpointAuthMethod'>> = {
    WEB_APP: { grantTypes: ['AUTHORIZATION_CODE'], responseTypes: ['CODE'], tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC' },
    NATIVE_APP: { grantTypes: ['AUTHORIZATION_CODE', 'IMPLICIT'], responseTypes: ['TOKEN', 'ID_TOKEN', 'CODE'], tokenEndpointAuthMethod: 'NONE' },
    SINGLE_PAGE_APP: { grantTypes: ['IMPLICIT'], responseTypes: ['TOKEN', 'ID_TOKEN'], tokenEndpointAuthMethod: 'NONE' },
    WORKER: { grantTypes: ['CLIENT_CREDENTIALS'], responseTypes: ['TOKEN'], tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC' },
    SERVICE: { grantTypes: ['CLIENT_CREDENTIALS'], responseTypes: ['TOKEN'], tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC' },
    CUSTOM_APP: { grantTypes: ['DEVICE_CODE', 'REFRESH_TOKEN'], responseTypes: [], tokenEndpointAuthMethod: 'NONE' },
  };
  for (const [type, row] of Object.entries(expected)) {
    it(`${type}: grant types, response types, auth method and scalar defaults`, () => {
      const config = parseApplicationBody(minimalBody(type), CREATE);
      assert.deepEqual(config.grantTypes, row.grantTypes);
      assert.deepEqual(config.responseTypes, row.responseTypes);
      assert.equal(config.tokenEndpointAuthMethod, row.tokenEndpointAuthMethod);
      assert.equal(config.pkceEnforcement, 'OPTIONAL');
      assert.equal(config.parRequirement, 'OPTIONAL');
      assert.equal(config.parTimeout, 60);
      assert.equal(config.devicePollingInterval, 5);
      assert.equal(config.deviceTimeout, 600);
      assert.equal(config.assignActorRoles, false);
      assert.equal(config.requestScopesForMultipleResourcesEnabled, false);
      assert.equal(config.hiddenFromAppPortal, false);
    });
  }

  it('refresh-token defaults only with REFRESH_TOKEN', () => {
    const web = parseApplicationBody(minimalBody('WEB_APP'), CREATE);
    assert.equal(web.refreshTokenDuration, undefined);
    assert.equal(web.refreshTokenRollingDuration, undefined);
    assert.equal(web.additionalRefreshTokenReplayProtectionEnabled, undefined);
    for (const body of [minimalBody('CUSTOM_APP'), minimalBody('WEB_APP', { grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'] })]) {
      const config = parseApplicationBody(body, CREATE);
      assert.equal(config.refreshTokenDuration, 2592000);
      assert.equal(config.refreshTokenRollingDuration, 15552000);
      assert.equal(config.additionalRefreshTokenReplayProtectionEnabled, true);
    }
  });

  it('refresh-token values sent explicitly are kept, with or without REFRESH_TOKEN', () => {
    const config = parseApplicationBody(
      minimalBody('WEB_APP', { refreshTokenDuration: 3600, additionalRefreshTokenReplayProtectionEnabled: false }),
      CREATE,
    );
    assert.equal(config.refreshTokenDuration, 3600);
    assert.equal(config.refreshTokenRollingDuration, undefined);
    assert.equal(config.additionalRefreshTokenReplayProtectionEnabled, false);
    const withGrant = parseApplicationBody(
      minimalBody('NATIVE_APP', { grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'], refreshTokenRollingDuration: 86400, refreshTokenDuration: 86400 }),
      CREATE,
    );
    assert.equal(withGrant.refreshTokenRollingDuration, 86400);
    assert.equal(withGrant.refreshTokenDuration, 86400);
  });

  it('derives response types from explicit grant types when responseTypes is omitted', () => {
    const spaCode = parseApplicationBody(minimalBody('SINGLE_PAGE_APP', { grantTypes: ['AUTHORIZATION_CODE'] }), CREATE);
    assert.deepEqual(spaCode.responseTypes, ['CODE']);
    const webBoth = parseApplicationBody(minimalBody('WEB_APP', { grantTypes: ['IMPLICIT', 'AUTHORIZATION_CODE'] }), CREATE);
    assert.deepEqual(webBoth.responseTypes, ['TOKEN', 'ID_TOKEN', 'CODE']);
    const worker = parseApplicationBody(minimalBody('WORKER', { grantTypes: ['CLIENT_CREDENTIALS'] }), CREATE);
    assert.deepEqual(worker.responseTypes, ['TOKEN']);
    const webCc = parseApplicationBody(minimalBody('WEB_APP', { grantTypes: ['CLIENT_CREDENTIALS'] }), CREATE);
    assert.deepEqual(webCc.responseTypes, []);
  });

  it('treats null like an omitted optional field', () => {
    const config = parseApplicationBody(minimalBody('WEB_APP', { parTimeout: null, grantTypes: null, description: null }), CREATE);
    assert.equal(config.parTimeout, 60);
    assert.deepEqual(config.grantTypes, ['AUTHORIZATION_CODE']);
    assert.equal('description' in config, false);
  });

  it('ignores server-owned and unknown fields', () => {
    const config = parseApplicationBody(
      minimalBody('WEB_APP', {
        id: 'x',
        environment: { id: 'y' },
        clientId: 'imported-client-id',
        clientSecret: 'imported-secret-123',
        createdAt: 'yesterday',
        updatedAt: 42,
        _links: { self: { href: 'z' } },
        mobile: { bundleId: 'com.example' },
        somethingNew: true,
      }),
      CREATE,
    );
    assert.deepEqual(config, parseApplicationBody(minimalBody('WEB_APP'), CREATE));
  });
});

describe('PUT is a full replacement', () => {
  const rich = parseApplicationBody(
    minimalBody('WEB_APP', {
      assignActorRoles: true,
      description: 'old',
      grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
      pkceEnforcement: 'S256_REQUIRED',
      parTimeout: 120,
      redirectUris: ['https://app.example.com/cb'],
      refreshTokenDuration: 7200,
      jwks: JWKS_STRING,
      idpSignoff: true,
      corsSettings: { behavior: 'ALLOW_SPECIFIC_ORIGINS', origins: ['https://app.example.com'] },
    }),
    CREATE,
  );

  it('resets omitted optional fields to their defaults', () => {
    const replaced = parseApplicationBody(minimalBody('WEB_APP'), replaceOf(rich));
    assert.deepEqual(replaced, { ...parseApplicationBody(minimalBody('WEB_APP'), CREATE), assignActorRoles: true });
  });

  it('keeps assignActorRoles from the stored application and ignores the body value', () => {
    assert.equal(parseApplicationBody(minimalBody('WEB_APP', { assignActorRoles: false }), replaceOf(rich)).assignActorRoles, true);
    assert.equal(parseApplicationBody(minimalBody('WEB_APP', { assignActorRoles: 'yes' }), replaceOf(rich)).assignActorRoles, true);
    assert.equal(parseApplicationBody(minimalBody('WEB_APP', { assignActorRoles: true }), CREATE).assignActorRoles, true);
  });

  it('refuses to change the type', () => {
    const d = assertOneViolation(minimalBody('NATIVE_APP'), 'CONSTRAINT_VIOLATION', 'type', replaceOf(rich));
    assert.match(d.message, /^type cannot be changed/);
  });

  it('requires name, enabled, type and protocol again', () => {
    const details = (() => {
      try {
        parseApplicationBody({}, replaceOf(rich));
      } catch (e) {
        return (e as { details: { code: string; target?: string }[] }).details;
      }
      return [];
    })();
    assert.deepEqual(
      details.map((d) => [d.code, d.target]),
      [
        ['REQUIRED_VALUE', 'name'],
        ['REQUIRED_VALUE', 'enabled'],
        ['REQUIRED_VALUE', 'type'],
        ['REQUIRED_VALUE', 'protocol'],
      ],
    );
  });
});

describe('toApplicationResponse', () => {
  it('stores and returns the jwks string verbatim', () => {
    const config = parseApplicationBody({ ...seedBody(), jwks: JWKS_PRETTY }, CREATE);
    assert.equal(config.jwks, JWKS_PRETTY);
    assert.equal(toApplicationResponse(record(config), API_BASE).jwks, JWKS_PRETTY);
  });

  it('accepts an apiBase with a trailing slash', () => {
    const response = toApplicationResponse(record(parseApplicationBody(seedBody(), CREATE)), `${API_BASE}/`);
    assert.equal((response._links as { self: { href: string } }).self.href, `${API_BASE}/environments/${ENV_ID}/applications/${APP_ID}`);
  });

  it('returns copies: mutating the response does not change the record', () => {
    const rec = record(parseApplicationBody(seedBody(), CREATE));
    const response = toApplicationResponse(rec, API_BASE);
    (response.redirectUris as string[]).push('https://evil.example/cb');
    assert.deepEqual(rec.config.redirectUris, ['http://localhost:3000/callback']);
  });

  it('never contains a secret, even if the stored config carries one', () => {
    const config = { ...parseApplicationBody(seedBody(), CREATE), clientSecret: 's3cr3t' } as ApplicationConfig;
    const text = JSON.stringify(toApplicationResponse(record(config), API_BASE));
    assert.equal(text.includes('s3cr3t'), false);
    assert.equal(text.includes('clientSecret'), false);
  });

  it('puts set optional fields after deviceTimeout and omits unset ones', () => {
    const config = parseApplicationBody(
      minimalBody('CUSTOM_APP', { devicePathId: 'tv-login', postLogoutRedirectUris: ['myapp://logout'], includeX5t: true }),
      CREATE,
    );
    const keys = Object.keys(toApplicationResponse(record(config), API_BASE));
    const tail = keys.slice(keys.indexOf('deviceTimeout') + 1);
    assert.deepEqual(tail, ['devicePathId', 'postLogoutRedirectUris', 'refreshTokenDuration', 'refreshTokenRollingDuration', 'includeX5t']);
    assert.equal(keys.includes('description'), false);
    assert.equal(keys.includes('redirectUris'), false);
    assert.ok(keys.indexOf('additionalRefreshTokenReplayProtectionEnabled') < keys.indexOf('tokenEndpointAuthMethod'));
  });
});

describe('responses validate against the OpenAPI ApplicationOIDC schema', () => {
  const everything: Record<string, unknown> = {
    description: 'All the optional fields',
    hiddenFromAppPortal: true,
    icon: { id: '1b3c5d7e-0000-4000-8000-000000000001', href: 'https://cdn.example.com/icon.png' },
    loginPageUrl: 'https://app.example.com/login',
    homePageUrl: 'https://app.example.com/',
    initiateLoginUri: 'https://app.example.com/sso',
    targetLinkUri: 'https://app.example.com/home',
    accessControl: { role: { type: 'ADMIN_USERS_ONLY' }, group: { type: 'ANY_GROUP', groups: [{ id: 'g-1' }] } },
    pkceEnforcement: 'S256_REQUIRED',
    parRequirement: 'REQUIRED',
    parTimeout: 30,
    postLogoutRedirectUris: ['https://app.example.com/bye'],
    refreshTokenRollingGracePeriodDuration: 30,
    refreshTokenType: 'JSON_WEB_TOKEN',
    supportUnsignedRequestObject: false,
    requireSignedRequestObject: true,
    opSessionCheckEnabled: true,
    idpSignoff: true,
    includeX5t: true,
    includeTyp: true,
    corsSettings: { behavior: 'ALLOW_SPECIFIC_ORIGINS', origins: ['https://app.example.com', 'https://*.example.org'] },
    jwksUrl: 'https://app.example.com/.well-known/jwks.json',
  };
  const bodies: Record<string, Record<string, unknown>> = {
    WEB_APP: minimalBody('WEB_APP', {
      ...everything,
      grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
      redirectUris: ['https://app.example.com/cb'],
      tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
      tokenEndpointAuthSigningAlg: 'PS256',
      clientAssertionAudiencePolicy: 'ISSUER_ONLY',
      signing: { keyRotationPolicy: { id: 'krp-1' } },
    }),
    NATIVE_APP: minimalBody('NATIVE_APP', { redirectUris: ['com.example.app:/oauth2redirect'], ...everything, jwksUrl: undefined }),
    SINGLE_PAGE_APP: minimalBody('SINGLE_PAGE_APP', { redirectUris: ['https://spa.example.com/'] }),
    WORKER: minimalBody('WORKER', { tags: ['PING_FED_CONNECTION_INTEGRATION'], assignActorRoles: true }),
    SERVICE: minimalBody('SERVICE', { tokenEndpointAuthMethod: 'CLIENT_SECRET_JWT', tokenEndpointAuthSigningAlg: 'HS256' }),
    CUSTOM_APP: minimalBody('CUSTOM_APP', { devicePathId: 'living-room', deviceCustomVerificationUri: 'https://tv.example.com/activate' }),
    'seed (WEB_APP, PRIVATE_KEY_JWT)': seedBody(),
  };
  for (const [label, body] of Object.entries(bodies)) {
    it(label, () => {
      const response = toApplicationResponse(record(parseApplicationBody(body, CREATE)), API_BASE);
      assert.deepEqual(validateAgainst('ApplicationOIDC', response), []);
    });
  }

  it('the schema check is not vacuous', () => {
    const response = toApplicationResponse(record(parseApplicationBody(seedBody(), CREATE)), API_BASE);
    const { tokenEndpointAuthMethod: _dropped, ...broken } = response;
    assert.notDeepEqual(validateAgainst('ApplicationOIDC', { ...broken, parTimeout: 0, grantTypes: ['PASSWORD'] }), []);
  });
});
