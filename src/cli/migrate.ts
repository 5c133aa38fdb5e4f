import { loadConfig } from '../config/config.js';
import { openStore } from '../store/open.js';

/** Opens the store, which applies pending forward-only migrations, then exits. */
export async function runMigrate(_args: string[]): Promise<number> {
  const store = await openStore(loadConfig());
  await store.migrate();
  await store.close();
  process.stdout.write('keyway: migrations applied\n');
  return 0;
}
