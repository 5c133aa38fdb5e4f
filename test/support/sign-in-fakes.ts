/**
 * In-memory fakes of every sign-in port, and a small Fastify instance with `signInRoutes` for
 * feature tests (no store, no keys): one environment, a few clients, one user.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { TokenEndpointAuthMethod } from '../../src/domain/applications/token-endpoint-auth-method.js';
import type { AuthorizationCode } from '../../src/domain/sign-in/authorization-code.js';
import type { Flow } from '../../src/domain/sign-in/flow.js';
import type { ParRequest } from '../../src/domain/sign-in/par-request.js';
import type { Session } from '../../src/domain/sign-in/session.js';
import { registerBodyParsers } from '../../src/http/body-parsers.js';
import type { SignInDeps } from '../../src/http/sign-in/deps.js';
import { signInRoutes } from '../../src/http/sign-in/routes.js';
import type { ClientProfile } from '../../src/protocol/client-auth/ports.js';
import type { FlowStore, GrantStore, IdTokenHintClaims, ParStore, PasswordVerifier, SessionStore, SignInClientSettings, SignInPorts } from '../../src/protocol/sign-in/ports.js';
import type { EnvironmentRecord } from '../../src/store/types.js';

export const ENV_ID = '6a8c0ad5-6bd0-4c2e-9f1e-3b9f1e7c5a10';
export const PUBLIC_URL = 'http://localhost:8080';
export const ISSUER = `${PUBLIC_URL}/${ENV_ID}/as`;
export const USER = { id: 'user-1', username: 'alice', password: 'correct horse battery staple' };

export function settings(overrides: Partial<SignInClientSettings> = {}): SignInClientSettings {
  return {
    redirectUris: ['https://app.example.com/callback'],
    allowWildcardInRedirectUris: false,
    postLogoutRedirectUris: ['https://app.example.com/signed-out'],
    responseTypes: ['CODE'],
    pkceEnforcement: 'OPTIONAL',
    parRequirement: 'OPTIONAL',
    parTimeout: 60,
    refreshTokenDuration: 2592000,
    refreshTokenRollingDuration: undefined,
    refreshTokenRollingGracePeriodDuration: 0,
    corsOrigins: [],
    ...overrides,
  };
}

export function profile(id: string, method: TokenEndpointAuthMethod = 'CLIENT_SECRET_BASIC', enabled = true): ClientProfile {
  return {
    client: {
      environmentId: ENV_ID, id, enabled, type: 'WEB_APP', tokenEndpointAuthMethod: method,
      grantTypes: ['AUTHORIZATION_CODE'], requestScopesForMultipleResourcesEnabled: false, includeTyp: false,
    },
    secrets: { current: `${id}-secret-0123456789abcdef0123456789` },
    grants: [],
    hasRoles: false,
  };
}

export class MemoryFlows implements FlowStore {
  readonly flows = new Map<string, Flow>();
  async create(flow: Flow) { this.flows.set(flow.id, structuredClone(flow)); }
  async get(_env: string, id: string) { const f = this.flows.get(id); return f && structuredClone(f); }
  async update(_env: string, flow: Flow, expectedVersion: number) {
    if (this.flows.get(flow.id)?.version !== expectedVersion) return false;
    this.flows.set(flow.id, structuredClone(flow));
    return true;
  }
  async consume(_env: string, id: string) { return this.flows.delete(id); }
}

export class MemorySessions implements SessionStore {
  readonly sessions = new Map<string, Session>();
  async create(s: Session) { this.sessions.set(s.idHash, s); }
  async get(_env: string, idHash: string, now: Date) {
    const s = this.sessions.get(idHash);
    return s && s.expiresAt > now ? s : undefined;
  }
  async revoke(_env: string, idHash: string) { this.sessions.delete(idHash); }
}

export class MemoryGrants implements Pick<GrantStore, 'createCode'> {
  readonly codes: AuthorizationCode[] = [];
  async createCode(code: AuthorizationCode) { this.codes.push(code); }
}

export class MemoryPars implements ParStore {
  readonly requests = new Map<string, ParRequest>();
  async create(r: ParRequest) { this.requests.set(r.id, r); }
  async consume(_env: string, id: string, now: Date) {
    const r = this.requests.get(id);
    this.requests.delete(id);
    return r && r.expiresAt > now ? r : undefined;
  }
}

export const passwords: PasswordVerifier = {
  async verify(_env, username, password) {
    if (username === 'locked') return { ok: false, reason: 'LOCKED' };
    if (username === USER.username && password === USER.password) return { ok: true, userId: USER.id };
    return { ok: false, reason: 'INVALID_CREDENTIALS' };
  },
};

export interface Fakes {
  ports: SignInPorts & { grants: GrantStore };
  flows: MemoryFlows;
  sessions: MemorySessions;
  grants: MemoryGrants;
  pars: MemoryPars;
  clients: Map<string, { profile: ClientProfile; settings: SignInClientSettings }>;
  clock: { now: Date };
}

/** Fake ports with the given clients; `id_token_hint` values are `hint:<clientId>:<sub>`. */
export function fakes(clients: Record<string, { method?: TokenEndpointAuthMethod; enabled?: boolean; settings?: Partial<SignInClientSettings> }>): Fakes {
  const registry = new Map(Object.entries(clients).map(([id, c]) => [id, { profile: profile(id, c.method, c.enabled), settings: settings(c.settings) }]));
  const flows = new MemoryFlows();
  const sessions = new MemorySessions();
  const grants = new MemoryGrants();
  const pars = new MemoryPars();
  const ports = {
    directory: { find: async (_env: string, id: string) => registry.get(id)?.profile },
    clients: { settings: async (_env: string, id: string) => registry.get(id)?.settings },
    flows, sessions, pars, passwords,
    grants: grants as unknown as GrantStore,
    idTokenHints: {
      async verify(_env: string, token: string): Promise<IdTokenHintClaims | undefined> {
        const [kind, aud, sub] = token.split(':');
        return kind === 'hint' && aud && sub ? { sub, aud: [aud] } : undefined;
      },
    },
  };
  return { ports, flows, sessions, grants, pars, clients: registry, clock: { now: new Date('2026-03-01T10:00:00Z') } };
}

/** Fastify with the real body parsers and `signInRoutes` over the fakes. */
export function signInServer(f: Fakes, publicUrl = PUBLIC_URL): FastifyInstance {
  const app = Fastify({ logger: false });
  registerBodyParsers(app);
  const env = { id: ENV_ID, organizationId: 'org-1', settings: {} } as unknown as EnvironmentRecord;
  const deps: SignInDeps = {
    ...f.ports,
    publicUrl,
    now: () => f.clock.now,
    issuer: (envId) => `${publicUrl}/${envId}/as`,
    environments: { get: async (id) => (id === ENV_ID ? env : undefined) },
  };
  signInRoutes(app, deps);
  return app;
}

/** The `name=value` of a Set-Cookie header list. */
export function cookieValue(setCookie: string | string[] | undefined, name: string): string | undefined {
  const list = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  const found = list.find((c) => c.startsWith(`${name}=`));
  return found?.slice(name.length + 1).split(';')[0];
}
