import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // A first start in a process also loads Keyway's modules: allow more than vitest's 10 s
    // default on a busy CI machine.
    hookTimeout: 30_000,
    testTimeout: 30_000,
    server: {
      deps: {
        // Inside Keyway's own repository `keyway/testing` resolves to ./dist, outside any
        // node_modules, which vitest would transform; an installed package is loaded by Node
        // as it is, and needs no such line.
        external: [/\/dist\/testing\//],
      },
    },
  },
});
