// Runs the load generator (load.mjs) against one target and samples, over the measured window
// (the load generator's window-start and window-end events): the CPU time the server processes
// used (every instance; with KEYWAY_WORKERS the primary and its workers), read from
// /proc/<pid>/stat; the servers' event-loop busy time (event-loop.mjs), and the CPU time of the
// threads running those event loops and how often they were preempted, from
// /proc/<pid>/task/<pid>/; the bytes they wrote to
// stdout (their request log); the database backends serving them (PostgreSQL target, same
// machine) and the generator's own CPU.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { activeDelta } from './event-loop.mjs';
import { sumCpuSeconds } from './postgres.mjs';
import { cpuSeconds, mainThreadCpuSeconds, mainThreadSwitches, startNode } from './processes.mjs';

const LOAD = fileURLToPath(new URL('./load.mjs', import.meta.url));

/** The main threads of `pids` together: CPU seconds and preemptions so far (null parts off Linux). */
function mainThreads(pids) {
  let cpu = 0;
  let preempted = 0;
  for (const pid of pids) {
    const seconds = mainThreadCpuSeconds(Number(pid));
    const switches = mainThreadSwitches(Number(pid));
    cpu = seconds === null || cpu === null ? null : cpu + seconds;
    preempted = switches === null || preempted === null ? null : preempted + switches.preempted;
  }
  return { cpu, preempted };
}

/**
 * @param {object} job    load.mjs job (tokenEndpoint(s), audience, clientId, kid, privateKeyPem, scope, ...)
 * @param {{serverPids: () => number[], eventLoop?: () => Promise<Record<number, number>>, logBytes?: () => number, dbPids?: () => Promise<number[]>}} probes
 * @param {string} workDir  where the job file goes
 * @param {number} maxSeconds
 */
export async function drive(job, probes, workDir, maxSeconds) {
  const jobFile = join(workDir, `load-${job.name}.json`);
  writeFileSync(jobFile, JSON.stringify(job), { mode: 0o600 });
  let result;
  let start;
  let dbStart;
  let pids = [];
  let samples = Promise.resolve();
  let loopStart;
  const cpu = {};
  const window = {};
  const sample = (work) => {
    samples = samples.then(work).catch((err) => {
      window.sampleError ??= err instanceof Error ? err.message : String(err);
    });
  };
  const generator = startNode(LOAD, [jobFile], {
    maxSeconds,
    onLine: (line) => {
      const message = JSON.parse(line);
      if (message.event === 'window-start') {
        pids = probes.serverPids();
        start = { at: performance.now(), server: sumCpuSeconds(pids), generator: cpuSeconds(generator.child.pid), logBytes: probes.logBytes?.() };
        if (probes.eventLoop) {
          sample(async () => {
            const readings = await probes.eventLoop();
            loopStart = { at: performance.now(), readings, main: mainThreads(Object.keys(readings)) };
          });
        }
        if (probes.dbPids) {
          sample(async () => {
            const found = await probes.dbPids();
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
        window.seconds = seconds;
        window.serverProcesses = pids.length;
        if (probes.logBytes && start.logBytes !== undefined) window.logBytesPerSecond = share(probes.logBytes(), start.logBytes);
        if (probes.eventLoop) {
          sample(async () => {
            const readings = await probes.eventLoop();
            if (!loopStart) return;
            const main = mainThreads(Object.keys(loopStart.readings));
            const over = (performance.now() - loopStart.at) / 1000;
            const delta = activeDelta(loopStart.readings, readings);
            window.eventLoopBusy = delta === null ? null : delta / over;
            window.eventLoopProcesses = Object.keys(readings).length;
            window.mainThreadBusy = main.cpu === null || loopStart.main.cpu === null ? null : (main.cpu - loopStart.main.cpu) / over;
            window.mainThreadPreemptionsPerSecond = main.preempted === null || loopStart.main.preempted === null ? null : (main.preempted - loopStart.main.preempted) / over;
          });
        }
        if (probes.dbPids) {
          sample(async () => {
            if (dbStart) cpu.database = share(sumCpuSeconds(dbStart.pids), dbStart.cpu, (now - dbStart.at) / 1000);
          });
        }
      }
      if (message.event === 'result') result = message;
    },
  });
  const code = await generator.exited;
  await samples;
  if (code !== 0 || !result) throw new Error(`load generator failed (exit ${code}): ${generator.output().stderr}`);
  return { ...result, cpuCoresUsed: cpu, window };
}
