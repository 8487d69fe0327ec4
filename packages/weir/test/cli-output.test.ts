/**
 * Output larger than a pipe's buffer reaches the reader whole: the command does not exit
 * while some of it is still queued (`weir status | less` over thousands of assets).
 */
import { describe, expect, it } from 'vitest';
import { projectDir, spawnWeir } from './cli-helpers.js';

describe('output into a pipe', () => {
  it('prints every line of a status longer than the pipe buffer to a slow reader', async () => {
    const dir = projectDir({
      'weir.config.ts': `import { asset, defineProject } from 'weir';
export default defineProject({
  assets: Array.from({ length: 4000 }, (_, i) =>
    asset({ key: \`many/a_long_asset_name_so_that_the_table_is_wide_\${String(i).padStart(4, '0')}\`, materialize: () => i }),
  ),
});
`,
    });
    const child = spawnWeir(dir, 'status');
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Read late: the pipe and the reader's buffer fill, the rest waits in the process.
    child.stdout!.pause();
    const chunks: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr!.resume();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.stdout!.resume();
    const code = await closed;
    const stdout = Buffer.concat(chunks).toString('utf8');
    expect(code).toBe(0);
    expect(stdout.length).toBeGreaterThan(256 * 1024);
    expect(stdout).toContain('many/a_long_asset_name_so_that_the_table_is_wide_3999');
    expect(stdout).toMatch(/\n4000 missing\n$/);
  });
});
