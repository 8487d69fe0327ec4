/**
 * The local artefact store never trusts an existing file blindly: writes check (or replace)
 * what is at the address, reads check what they return, and gc's removal is safe against a
 * writer storing the same content at the same moment.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArtefactError, LocalArtefactStore } from '../src/artefacts/index.js';
import { tempDir } from './helpers.js';
import { flipByte } from './support/corrupt.js';

const text = (s: string) => new TextEncoder().encode(s);

function store(): LocalArtefactStore {
  return new LocalArtefactStore(join(tempDir(), 'artefacts'));
}

async function rejection(promise: Promise<unknown>): Promise<ArtefactError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ArtefactError);
    return error as ArtefactError;
  }
  throw new Error('expected an ArtefactError');
}

describe('the local artefact store', () => {
  it('refuses to return bytes that no longer match their address', async () => {
    const artefacts = store();
    const { location } = await artefacts.putBytes(text('[1,2,3]'));
    flipByte(join(artefacts.root, location));
    const error = await rejection(artefacts.read(location));
    expect(error.problem).toBe('corrupt');
    expect(error.code).toBe('E_ARTEFACT_CORRUPT');
    expect(error.message).toContain(location);
  });

  it('storing content that exists over a corrupt copy replaces it (what --force relies on)', async () => {
    const artefacts = store();
    const { location } = await artefacts.putBytes(text('{"peak":3.25}'));
    flipByte(join(artefacts.root, location));
    await artefacts.putBytes(text('{"peak":3.25}'));
    expect(new TextDecoder().decode(await artefacts.read(location))).toBe('{"peak":3.25}');
  });

  it('storing a file where a directory has taken its place replaces the directory', async () => {
    const artefacts = store();
    const { location } = await artefacts.putBytes(text('{"peak":3.25}'));
    const path = join(artefacts.root, location);
    rmSync(path);
    mkdirSync(join(path, 'junk'), { recursive: true });
    expect((await artefacts.verify(location, { deep: true })).status).toBe('corrupt');
    await artefacts.putBytes(text('{"peak":3.25}'));
    expect(new TextDecoder().decode(await artefacts.read(location))).toBe('{"peak":3.25}');
    // A files artefact that is one file, the same way.
    const one = await artefacts.tempPath('one');
    writeFileSync(one, 'x');
    const file = await artefacts.putPath(one);
    const filePath = join(artefacts.root, file.location);
    rmSync(filePath);
    mkdirSync(filePath);
    const again = await artefacts.tempPath('one');
    writeFileSync(again, 'x');
    await artefacts.putPath(again);
    expect(readFileSync(filePath, 'utf8')).toBe('x');
  });

  it('storing identical content again keeps the file and marks it as just stored', async () => {
    const artefacts = store();
    const { location } = await artefacts.putBytes(text('same'));
    const path = join(artefacts.root, location);
    utimesSync(path, new Date(1_000), new Date(1_000));
    await artefacts.putBytes(text('same'));
    const [listed] = [...(await collect(artefacts.list()))];
    expect(listed?.modifiedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(readFileSync(path, 'utf8')).toBe('same');
  });

  it('files and directories: a corrupt stored copy is replaced, an intact one kept', async () => {
    const artefacts = store();
    const write = async (content: string) => {
      const dir = await artefacts.tempPath('raster');
      mkdirSync(join(dir, 'band'), { recursive: true });
      writeFileSync(join(dir, 'band', 'b1.txt'), content);
      return artefacts.putPath(dir);
    };
    const first = await write('12345');
    const stored = join(artefacts.root, first.location, 'band', 'b1.txt');
    flipByte(stored);
    expect(await artefacts.verify(first.location, { deep: true })).toMatchObject({
      status: 'corrupt',
    });
    const second = await write('12345');
    expect(second.location).toBe(first.location);
    expect(readFileSync(stored, 'utf8')).toBe('12345');
    expect(await artefacts.verify(first.location, { deep: true })).toEqual({
      status: 'intact',
      hashed: true,
    });
  });

  it('hands out a files artefact after a cheap check, hashing it when it was written after it was stored', async () => {
    const artefacts = store();
    const out = await artefacts.tempPath('model');
    writeFileSync(out, 'weights 0.125');
    const { location } = await artefacts.putPath(out);
    // The file system's clock and Date.now() can disagree by a millisecond under load.
    const storedAt = Math.ceil(statSync(join(artefacts.root, location)).mtimeMs);
    expect(await artefacts.verify(location, { storedAt })).toEqual({
      status: 'intact',
      hashed: false,
    });
    const path = join(artefacts.root, location);
    flipByte(path, { keepMtime: true });
    // Same modification time: only hashing tells (weir verify does).
    expect(await artefacts.localPath(location, { storedAt })).toBe(path);
    expect((await artefacts.verify(location, { deep: true })).status).toBe('corrupt');
    utimesSync(path, new Date(), new Date(storedAt + 5_000));
    expect((await rejection(artefacts.localPath(location, { storedAt }))).problem).toBe('corrupt');
  });

  it('says missing, not corrupt, for an artefact that is gone', async () => {
    const artefacts = store();
    const { location } = await artefacts.putBytes(text('gone'));
    await artefacts.remove(location, { unlessModifiedAfter: Date.now() + 1_000 });
    expect((await rejection(artefacts.read(location))).problem).toBe('missing');
    expect(await artefacts.verify(location)).toEqual({ status: 'missing' });
  });

  it('remove leaves an artefact a writer stored again after the cut-off', async () => {
    const artefacts = store();
    const { location } = await artefacts.putBytes(text('kept'));
    const cutoff = Date.now() - 60_000;
    expect(await artefacts.remove(location, { unlessModifiedAfter: cutoff })).toBe(false);
    expect(existsSync(join(artefacts.root, location))).toBe(true);
    utimesSync(join(artefacts.root, location), new Date(1_000), new Date(1_000));
    expect(await artefacts.remove(location, { unlessModifiedAfter: cutoff })).toBe(true);
    expect(await artefacts.exists(location)).toBe(false);
    expect(await artefacts.remove(location, { unlessModifiedAfter: cutoff })).toBe(false);
  });

  it('a read-only store reads and verifies but refuses every write, saying so', async () => {
    const root = join(tempDir(), 'artefacts');
    const { location } = await new LocalArtefactStore(root).putBytes(text('"ro"'));
    const readOnly = new LocalArtefactStore(root, { readOnly: true });
    expect(new TextDecoder().decode(await readOnly.read(location))).toBe('"ro"');
    const error = await rejection(readOnly.putBytes(text('x'), { label: 'gauges/readings' }));
    expect(error.code).toBe('E_READ_ONLY');
    expect(error.message).toContain("gauges/readings's artefact");
    await readOnly.close();
  });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
