// Preloaded into every process the benchmark starts (`node --import ./bench/child-guard.mjs ...`),
// Keyway included, so that none can outlive the run: each exits when its parent is gone or when
// BENCH_CHILD_MAX_SECONDS have passed. The timers are unref'd and cost nothing on the hot path.
const parent = process.ppid;
const maxSeconds = Number(process.env.BENCH_CHILD_MAX_SECONDS ?? 600);

setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, 500).unref();

setTimeout(() => {
  process.stderr.write(`bench: ${process.argv[1]} ran past ${maxSeconds} s; stopping it\n`);
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.exit(1), 3000).unref();
}, maxSeconds * 1000).unref();
