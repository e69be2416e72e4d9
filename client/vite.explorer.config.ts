import { fileURLToPath, URL } from 'node:url';
import { defineConfig, mergeConfig } from 'vite';
import app from './vite.config.ts';

/**
 * The API explorer (explorer.html, served at /api/explorer) is a build of its own into the same
 * dist/, after the SPA's: GraphiQL and its editor share no chunk with the settings, whose initial
 * JavaScript budget (bench/bundle-size.mjs, reading the SPA's manifest) it leaves untouched.
 */
export default mergeConfig(
  app,
  defineConfig({
    build: {
      emptyOutDir: false,
      manifest: false,
      // Monaco, the editor, is one large chunk by design; this page loads nothing else.
      chunkSizeWarningLimit: 4000,
      rolldownOptions: {
        input: fileURLToPath(new URL('explorer.html', import.meta.url)),
        // GraphiQL's packages start with "use no memo" (a React Compiler hint), meaningless in a bundle.
        onwarn(warning, warn) {
          if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
        },
      },
    },
  }),
);
