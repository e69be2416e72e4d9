import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const fromHere = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig({
  plugins: [react()],
  resolve: {
    // Shared's dist is CommonJS; the client bundles its TypeScript sources instead.
    // The more specific alias comes first so it is not swallowed by the package alias.
    alias: [
      { find: /^@gatehouse\/shared\/generated$/, replacement: fromHere('../shared/src/generated/graphql.ts') },
      { find: /^@gatehouse\/shared$/, replacement: fromHere('../shared/src/index.ts') },
    ],
  },
  server: {
    proxy: { '/graphql': 'http://localhost:4000', '/api': 'http://localhost:4000' },
  },
  build: {
    outDir: 'dist',
    // dist/.vite/manifest.json maps each source module to its chunk and static imports, which
    // bench/bundle-size.mjs follows to measure what each page loads.
    manifest: true,
  },
});
