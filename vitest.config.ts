import { defineConfig } from 'vitest/config';

// Three suites: `unit` (pure code and in-memory byte cases), `agent` (a real qemu-ga on a
// temp socket, and the built CLI in a real terminal), `vm` (a real guest under QEMU).
// `npm test` runs unit + agent; `npm run test:vm` runs the VM suite.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'], testTimeout: 20_000 } },
      { test: { name: 'agent', include: ['test/agent/**/*.test.{ts,tsx}'], testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false } },
      // --expose-gc: the soak measures the heap after forced collections.
      { test: { name: 'vm', include: ['test/vm/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 600_000, fileParallelism: false, execArgv: ['--expose-gc'] } },
    ],
  },
});
