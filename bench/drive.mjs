// Runs the load generator (load.mjs) against one target and samples the CPU time the server
// processes (summed over the instances), the database backends serving them (PostgreSQL target,
// same machine) and the generator used during the measured window.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sumCpuSeconds } from './postgres.mjs';
import { cpuSeconds, startNode } from './processes.mjs';

const LOAD = fileURLToPath(new URL('./load.mjs', import.meta.url));

/**
 * @param {object} job    load.mjs job (tokenEndpoint(s), audience, clientId, kid, privateKeyPem, scope, ...)
 * @param {number | number[]} serverPids
 * @param {string} workDir  where the job file goes
 * @param {number} maxSeconds
 * @param {{dbPids?: () => Promise<number[]>}} [options]  the database backends to sample
 */
export async function drive(job, serverPids, workDir, maxSeconds, { dbPids } = {}) {
  const pids = [serverPids].flat();
  const jobFile = join(workDir, `load-${job.name}.json`);
  writeFileSync(jobFile, JSON.stringify(job), { mode: 0o600 });
  let result;
  let start;
  let dbStart;
  let dbSample = Promise.resolve();
  const cpu = {};
  const generator = startNode(LOAD, [jobFile], {
    maxSeconds,
    onLine: (line) => {
      const message = JSON.parse(line);
      if (message.event === 'window-start') {
        start = { at: performance.now(), server: sumCpuSeconds(pids), generator: cpuSeconds(generator.child.pid) };
        if (dbPids) {
          dbSample = dbPids().then((found) => {
            dbStart = { at: performance.now(), pids: found, cpu: sumCpuSeconds(found) };
          });
        }
      }
      if (message.event === 'window-end' && start) {
        const now = performance.now();
        const seconds = (now - start.at) / 1000;
        const share = (value, before, over = seconds) => (value === null || before === null || before === undefined ? null : (value - before) / over);
        cpu.server = share(sumCpuSeconds(pids), start.server);
        cpu.generator = share(cpuSeconds(generator.child.pid), start.generator);
        if (dbPids) {
          dbSample = dbSample.then(() => {
            if (dbStart) cpu.database = share(sumCpuSeconds(dbStart.pids), dbStart.cpu, (now - dbStart.at) / 1000);
          });
        }
      }
      if (message.event === 'result') result = message;
    },
  });
  const code = await generator.exited;
  await dbSample;
  if (code !== 0 || !result) throw new Error(`load generator failed (exit ${code}): ${generator.output().stderr}`);
  return { ...result, cpuCoresUsed: cpu };
}
