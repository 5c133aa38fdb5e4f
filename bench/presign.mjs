// Pre-signs the client assertions of a run before any timing, spread over worker threads:
// each is a unique RS256 (or, with job.alg "ES256", ES256) private_key_jwt assertion (RFC 7523 §3) already wrapped in its
// form-encoded token request body, so the timed loop does no crypto and no encoding.
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * @param {{count: number, privateKeyPem: string, kid: string, clientId: string, audience: string,
 *          lifetime: number, scope?: string}} job
 * @returns {Promise<string[]>} `count` token request bodies
 */
export async function presign(job) {
  const threads = Math.max(1, Math.min(availableParallelism(), 4));
  const share = Math.ceil(job.count / threads);
  const parts = await Promise.all(
    Array.from({ length: threads }, (_, i) => {
      const count = Math.max(0, Math.min(share, job.count - i * share));
      return new Promise((resolve, reject) => {
        const worker = new Worker(new URL(import.meta.url), { workerData: { ...job, count } });
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    }),
  );
  return parts.flat();
}

function signBodies({ count, privateKeyPem, kid, clientId, audience, lifetime, scope, alg = 'RS256' }) {
  // ES256: the signature is R || S, not DER (RFC 7518 §3.4).
  const key = alg === 'ES256' ? { key: createPrivateKey(privateKeyPem), dsaEncoding: 'ieee-p1363' } : createPrivateKey(privateKeyPem);
  const header = Buffer.from(JSON.stringify({ alg, kid, typ: 'JWT' })).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  const fixed = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_assertion_type: CLIENT_ASSERTION_TYPE });
  if (scope) fixed.set('scope', scope);
  const prefix = `${fixed.toString()}&client_assertion=`;
  const bodies = new Array(count);
  for (let i = 0; i < count; i += 1) {
    const claims = { iss: clientId, sub: clientId, aud: audience, jti: randomUUID(), iat, exp: iat + lifetime };
    const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    bodies[i] = `${prefix}${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
  }
  return bodies;
}

if (!isMainThread && parentPort) parentPort.postMessage(signBodies(workerData));
