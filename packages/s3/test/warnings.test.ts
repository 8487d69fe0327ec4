/**
 * The AWS SDK's NodeVersionSupportWarning (its releases after January 2027 need Node 22) is not
 * printed for the store's own client, and the user's environment is left as it was. In a file
 * of its own: the SDK decides once per process (per test worker here) whether to warn.
 */
import { afterAll, expect, it } from 'vitest';
import { S3ArtefactStore } from '../src/index.js';
import { startS3rver, tempFolder } from './_server.js';

const cleanups: Array<() => void> = [];
afterAll(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

it('the store talks to S3 without the SDK printing a Node version warning', async () => {
  const server = await startS3rver();
  const warnings: string[] = [];
  const listen = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', listen);
  const switchBefore = process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  try {
    const store = await S3ArtefactStore.open({
      bucket: server.bucket,
      clientConfig: server.clientConfig,
      cacheDir: tempFolder(cleanups),
    });
    const { location } = await store.putBytes(new TextEncoder().encode('quiet'));
    expect(new TextDecoder().decode(await store.read(location))).toBe('quiet');
    await store.close();
    // process.emitWarning emits on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((w) => /AWS SDK|NodeVersionSupport|NodeDeprecation/.test(w))).toEqual(
      [],
    );
    expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe(switchBefore);
  } finally {
    process.off('warning', listen);
    await server.stop();
  }
});
