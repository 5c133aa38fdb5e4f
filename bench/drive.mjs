// Runs the load generator (load.mjs) against one server and samples the CPU time the server
// and the generator used during the measured window.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, startNode } from './processes.mjs';

const LOAD = fileURLToPath(new URL('./load.mjs', import.meta.url));

/**
 * @param {object} job    load.mjs job (tokenEndpoint, audience, clientId, kid, privateKeyPem, scope, ...)
 * @param {number} serverPid
 * @param {string} workDir  where the job file goes
 */
export async function drive(job, serverPid, workDir, maxSeconds) {
  const jobFile = join(workDir, `load-${job.name}.json`);
  writeFileSync(jobFile, JSON.stringify(job), { mode: 0o600 });
  let result;
  let start;
  const cpu = {};
  const generator = startNode(LOAD, [jobFile], {
    maxSeconds,
    onLine: (line) => {
      const message = JSON.parse(line);
      if (message.event === 'window-start') start = { at: performance.now(), server: cpuSeconds(serverPid), generator: cpuSeconds(generator.child.pid) };
      if (message.event === 'window-end' && start) {
        const seconds = (performance.now() - start.at) / 1000;
        const share = (now, before) => (now === null || before === null ? null : (now - before) / seconds);
        cpu.server = share(cpuSeconds(serverPid), start.server);
        cpu.generator = share(cpuSeconds(generator.child.pid), start.generator);
      }
      if (message.event === 'result') result = message;
    },
  });
  const code = await generator.exited;
  if (code !== 0 || !result) throw new Error(`load generator failed (exit ${code}): ${generator.output().stderr}`);
  return { ...result, cpuCoresUsed: cpu };
}
