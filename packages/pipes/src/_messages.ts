/**
 * @module pipes/_messages
 * What the script reports on file descriptor 3, handled as each message comes (logs,
 * metadata, checks, the data version) or collected (the output, the closing error), and the
 * asset's value made from the output once the script has exited.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { JsonValue } from 'weir';
import { type Message, ProtocolError, type ScriptError } from './_protocol.js';
import { PythonScriptError } from './python-script-error.js';
import type { PythonStepContext } from './python-step.js';
import type { CheckResult } from './reported-check.js';

/** What the script reported, collected as its messages come. */
export interface Reports {
  output: { value: JsonValue } | { path: string } | undefined;
  checks: Map<string, CheckResult>;
  error: ScriptError | undefined;
}

export function onMessage(
  message: Message,
  reports: Reports,
  ctx: PythonStepContext,
  label: string,
): void {
  switch (message.type) {
    case 'opened':
      ctx.log.debug(
        `python script ${label} connected (python ${message.python}, pid ${message.pid})`,
      );
      return;
    case 'log':
      ctx.log[message.level](message.message, message.fields);
      return;
    case 'metadata':
      ctx.addMetadata(message.entries);
      return;
    case 'check': {
      const result: CheckResult = { passed: message.passed };
      if (message.message !== undefined) result.message = message.message;
      if (message.metadata !== undefined) result.metadata = message.metadata;
      reports.checks.set(message.name, result);
      ctx.log[message.passed ? 'info' : 'warn'](
        `check ${message.name} ${message.passed ? 'passed' : 'failed'}${message.message === undefined ? '' : `: ${message.message}`}`,
      );
      return;
    }
    case 'data_version':
      ctx.setDataVersion(message.version);
      return;
    case 'output':
      if (reports.output !== undefined) {
        throw new ProtocolError('a second output (an output is reported once)');
      }
      reports.output = 'path' in message ? { path: message.path } : { value: message.value };
      return;
    case 'closed':
      reports.error = message.error;
      return;
  }
}

/** The asset's value from the script's output: the JSON value, or the output file's bytes. */
export async function outputOf(
  output: Reports['output'],
  ctx: PythonStepContext,
  outputPath: string,
  label: string,
): Promise<unknown> {
  if (output === undefined) {
    throw new PythonScriptError(
      `python script ${label} exited with code 0 without reporting an output: call ctx.report_output(value)${ctx.outputPath === undefined ? '' : ', or write ctx.output_path and call ctx.report_output_path()'} inside "with weir_pipes.open() as ctx:"`,
      { script: label, exitCode: 0 },
    );
  }
  if ('value' in output) {
    if (ctx.outputPath !== undefined) {
      throw new PythonScriptError(
        `python script ${label} reported a value, but asset '${ctx.key}' has io 'files': write the file or folder at ctx.output_path and call ctx.report_output_path()`,
        { script: label, exitCode: 0 },
      );
    }
    return output.value;
  }
  if (resolve(output.path) !== resolve(outputPath)) {
    throw new PythonScriptError(
      `python script ${label} reported the output path ${output.path}; the output must be written at ctx.output_path (${outputPath})`,
      { script: label, exitCode: 0 },
    );
  }
  // `files`: Weir stores what is at ctx.outputPath. Otherwise the file's bytes are the value.
  if (ctx.outputPath !== undefined) return undefined;
  return new Uint8Array(await readFile(outputPath));
}
