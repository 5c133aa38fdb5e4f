/**
 * `startKeyway`: Keyway in this process for a test run, and the helpers a test drives it with.
 */
import type { CreateEnvironmentOptions, CreateUserOptions, ManagementCall } from './management.js';
import { createEnvironment, createUser, managementCaller } from './management.js';
import { adminTokenSource } from './admin.js';
import { clientAssertion, type ClientAssertionOptions } from './client-auth.js';
import { launch } from './launch.js';
import type { StartKeywayOptions } from './options.js';
import { signIn, type SignInOptions } from './sign-in.js';
import { clientCredentialsToken, type ClientCredentialsTokenOptions, type TokenResponse } from './tokens.js';

/** The admin WORKER application (Organization Admin) and its management token. */
export interface KeywayAdmin {
  environmentId: string;
  clientId: string;
  clientSecret: string;
  /** A management API token of the admin application, kept until shortly before it expires. */
  token(): Promise<string>;
}

/** A running Keyway and the helpers to drive it. */
export interface Keyway extends AsyncDisposable {
  /** Base URL, `http://127.0.0.1:{port}` (PingOne's `{{authPath}}`). */
  url: string;
  port: number;
  /** `{url}/v1` (PingOne's `{{apiPath}}`). */
  managementUrl: string;
  /** An environment's issuer, `{url}/{envId}/as` (discovery at `/.well-known/openid-configuration` under it). */
  issuer(envId: string): string;
  organizationId: string;
  /** The organization's license, which `POST /environments` names in `license.id`. */
  licenseId: string;
  admin: KeywayAdmin;
  /** A management API call with the admin token (see ManagementCall). */
  management: ManagementCall;
  /** A new environment (SANDBOX, region NA, the organization's license). */
  createEnvironment(options?: CreateEnvironmentOptions): Promise<any>;
  /** A new user in an environment, with a password when one is given. */
  createUser(options: CreateUserOptions): Promise<any>;
  /** A signed `private_key_jwt` client assertion (RFC 7523 §3) for the environment's issuer. */
  clientAssertion(options: ClientAssertionOptions): Promise<string>;
  /** A `client_credentials` token (RFC 6749 §4.4) for an application. */
  clientCredentialsToken(options: ClientCredentialsTokenOptions): Promise<TokenResponse>;
  /** A user signed in through the flow API, without a browser; the token response of the code exchange. */
  signIn(options: SignInOptions): Promise<TokenResponse>;
  /** Closes the server and the store and removes the temporary data; later calls wait for the first. */
  stop(): Promise<void>;
}

/** Starts Keyway on a free port of 127.0.0.1; resolves once it accepts requests. */
export async function startKeyway(options: StartKeywayOptions = {}): Promise<Keyway> {
  const { app, config, admin, removeDataDir } = await launch(options);
  const url = config.publicUrl;
  const managementUrl = `${url}/v1`;
  const issuer = (envId: string): string => `${url}/${envId}/as`;
  const token = adminTokenSource(issuer(admin.environmentId), admin, options.now ?? (() => new Date()));
  const management = managementCaller(managementUrl, token);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= app.close().finally(removeDataDir);
    return stopped;
  };
  return {
    url,
    port: config.port,
    managementUrl,
    issuer,
    organizationId: app.bootstrap.organizationId,
    licenseId: app.bootstrap.licenseId,
    admin: { ...admin, token },
    management,
    createEnvironment: (environment) => createEnvironment(management, app.bootstrap.licenseId, environment),
    createUser: (user) => createUser(management, user),
    clientAssertion: (assertion) => clientAssertion(issuer(assertion.envId), assertion),
    clientCredentialsToken: (request) => clientCredentialsToken(issuer(request.envId), request),
    signIn: (signInOptions) => signIn(issuer(signInOptions.envId), signInOptions),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
