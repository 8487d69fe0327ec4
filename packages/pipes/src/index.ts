/**
 * @weir/pipes: Python steps for Weir. A Python script runs as an asset's step through the
 * weir_pipes protocol (pipes/python/weir_pipes.py, shipped in this package): Weir passes it the
 * step's context and inputs, and it reports logs, metadata, checks and its output back.
 *
 * @module @weir/pipes
 */
export { PROTOCOL } from './_protocol.js';
export { PythonScriptError } from './python-script-error.js';
export {
  type PythonStep,
  type PythonStepContext,
  type PythonStepOptions,
  pythonStep,
} from './python-step.js';
export { type ReportedCheckOptions, reportedCheck } from './reported-check.js';
