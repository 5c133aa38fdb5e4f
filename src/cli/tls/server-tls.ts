/**
 * The certificate and key the server presents, from the configuration: the operator's PEM files
 * as read by src/config/tls.ts, or the data directory's local authority (./self-signed.ts),
 * whose file and fingerprint are printed so that a client can be told to trust it.
 */
import type { Config } from '../../config/config.js';
import { selfSignedTls, type SelfSignedTls } from './self-signed.js';

export interface ServerTls {
  cert: string;
  key: string;
}

/** Undefined for plain HTTP. */
export async function serverTls(config: Config, print: (text: string) => void): Promise<ServerTls | undefined> {
  if (config.tls === undefined) return undefined;
  if (config.tls.mode === 'files') return { cert: config.tls.cert, key: config.tls.key };
  const local = await selfSignedTls(config.dataDir, new URL(config.publicUrl).hostname);
  print(notice(local));
  return { cert: local.cert, key: local.key };
}

function notice(local: SelfSignedTls): string {
  return [
    local.caCreated
      ? 'Keyway HTTPS (KEYWAY_TLS=self-signed): created a local certificate authority; trust it once:'
      : 'Keyway HTTPS (KEYWAY_TLS=self-signed): serving with the local certificate authority',
    `  CA certificate: ${local.caFile}`,
    `  SHA-256 fingerprint: ${local.caFingerprint}`,
    `  Node: NODE_EXTRA_CA_CERTS=${local.caFile}; browsers: import it as an authority (README, "HTTPS")`,
    '',
  ].join('\n');
}
