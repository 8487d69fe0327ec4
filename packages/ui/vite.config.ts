// Builds the UI into packages/weir/ui, the folder the weir server serves and the weir package
// ships. `npm run dev -w packages/ui` serves it with hot reload against a `weir dev` on :3000.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../weir/ui', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1000,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/metrics': 'http://127.0.0.1:3000' } },
});
