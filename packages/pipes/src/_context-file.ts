/**
 * @module pipes/_context-file
 * The context file a script reads through WEIR_PIPES_CONTEXT: the step's key, partition, run,
 * code version, params and output path, and its inputs as the script receives them (values
 * as JSON, bytes written to files, stored files and folders by path).
 */
import { statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { JsonValue, PartitionInfo } from 'weir';
import { type InputEntry, type PipesContextFile, PROTOCOL } from './_protocol.js';
import type { PythonStepContext } from './python-step.js';

/** Writes the context file of `ctx`'s step in `temp` and returns its path. */
export async function writeContextFile(
  temp: string,
  ctx: PythonStepContext,
  params: Readonly<Record<string, JsonValue>>,
  inputs: Readonly<Record<string, unknown>>,
  outputPath: string,
): Promise<string> {
  const context: PipesContextFile = {
    protocol: PROTOCOL,
    asset_key: ctx.key,
    partition: partitionOf(ctx.partition),
    run_id: ctx.runId,
    attempt: ctx.attempt,
    code_version: ctx.codeVersion,
    inputs: await encodeInputs(inputs, join(temp, 'inputs')),
    params: { ...params },
    output_path: outputPath,
  };
  const contextPath = join(temp, 'context.json');
  await writeFile(contextPath, JSON.stringify(context));
  return contextPath;
}

function partitionOf(partition: PartitionInfo | undefined): PipesContextFile['partition'] {
  if (partition === undefined) return null;
  return {
    key: partition.key,
    ...(partition.start === undefined ? {} : { start: partition.start.toISOString() }),
    ...(partition.end === undefined ? {} : { end: partition.end.toISOString() }),
    ...(partition.dimensions === undefined ? {} : { dimensions: { ...partition.dimensions } }),
  };
}

/** Each input as the script receives it; bytes inputs are written to files under `dir`. */
async function encodeInputs(
  inputs: Readonly<Record<string, unknown>>,
  dir: string,
): Promise<Record<string, InputEntry>> {
  let files = 0;
  const encode = async (value: unknown): Promise<InputEntry> => {
    if (value instanceof Uint8Array) {
      await mkdir(dir, { recursive: true });
      const path = join(dir, `input-${++files}`);
      await writeFile(path, value);
      return { kind: 'path', path, type: 'file' };
    }
    if (value instanceof Map) {
      const values: Record<string, InputEntry> = {};
      for (const [key, one] of value) values[String(key)] = await encode(one);
      return { kind: 'partitions', values };
    }
    const artefact = fileArtefact(value);
    if (artefact !== undefined) return { kind: 'path', ...artefact };
    // Written as JSON with the context (once: inputs can be large); a Date (a source's
    // observedAt) becomes its ISO string there, as JSON gives it downstream.
    return { kind: 'value', value: (value ?? null) as JsonValue };
  };
  const entries: Record<string, InputEntry> = {};
  for (const [name, value] of Object.entries(inputs)) entries[name] = await encode(value);
  return entries;
}

/** A `files` input (`{ path, type }` naming a stored file or folder), or undefined. */
function fileArtefact(value: unknown): { path: string; type: 'file' | 'directory' } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 2) return undefined;
  const { path, type } = value as { path?: unknown; type?: unknown };
  if (typeof path !== 'string' || !isAbsolute(path)) return undefined;
  if (type !== 'file' && type !== 'directory') return undefined;
  try {
    const info = statSync(path);
    return (type === 'file' ? info.isFile() : info.isDirectory()) ? { path, type } : undefined;
  } catch {
    return undefined;
  }
}
