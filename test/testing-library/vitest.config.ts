import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.vitest.ts'],
    // The cases start several servers, and a first start also loads Keyway's modules.
    hookTimeout: 30_000,
    testTimeout: 30_000,
    // One file, its cases in order, as node:test runs them.
    fileParallelism: false,
    server: {
      deps: {
        // `keyway/testing` resolves to ./dist, outside node_modules: load it as Node does.
        external: [/\/dist\/testing\//],
      },
    },
  },
});
