// The servers' event-loop busy time (Node's performance.eventLoopUtilization().active), read
// before and after the measured window. Keyway exposes it per process as the counter
// keyway_event_loop_active_seconds_total in /metrics, with keyway_process_id naming the process
// that answered; with KEYWAY_WORKERS every new connection goes to the next worker, so fresh
// connections are opened until every worker has answered. oidc-provider-server.mjs answers the
// same two figures as JSON on its own route.
import { request } from 'node:http';

/** GET over a new connection (no keep-alive agent), so that the primary hands it to the next worker. */
function getFresh(url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { connection: 'close' }, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${url}: ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within 5 s`)));
    req.on('error', reject);
    req.end();
  });
}

const metric = (text, name) => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
};

/**
 * Busy seconds of each of the `processes` Keyway processes answering at `baseUrl`, by process id.
 * @returns {Promise<Record<number, number>>}
 */
export async function keywayEventLoop(baseUrl, processes = 1) {
  const seen = {};
  for (let attempt = 0; attempt < 20 * processes && Object.keys(seen).length < processes; attempt += 1) {
    const text = await getFresh(`${baseUrl}/metrics`);
    const pid = metric(text, 'keyway_process_id');
    const active = metric(text, 'keyway_event_loop_active_seconds_total');
    if (pid === undefined || active === undefined) throw new Error(`${baseUrl}/metrics has no keyway_process_id or keyway_event_loop_active_seconds_total`);
    seen[pid] = active;
  }
  if (Object.keys(seen).length < processes) throw new Error(`${baseUrl}: ${Object.keys(seen).length} of ${processes} processes answered /metrics`);
  return seen;
}

/** The same from oidc-provider-server.mjs's route: {pid, activeSeconds}. */
export async function jsonEventLoop(url) {
  const { pid, activeSeconds } = JSON.parse(await getFresh(url));
  return { [pid]: activeSeconds };
}

/** Sum over processes of the busy seconds between two readings; null when a process is missing from either. */
export function activeDelta(before, after) {
  let total = 0;
  for (const [pid, value] of Object.entries(before)) {
    if (after[pid] === undefined) return null;
    total += after[pid] - value;
  }
  return total;
}
