// Runs scripts/screenshots.ts (alone) with the workspace's vitest setup (TypeScript sources,
// the `.sql` loader): `npm run screenshots -w packages/ui`.
import { defineConfig } from 'vitest/config';
import base from '../../../vitest.config';

export default defineConfig({
  ...base,
  test: { ...base.test, include: ['packages/ui/scripts/screenshots.ts'], testTimeout: 300_000 },
});
