/** This Weir's version, recorded in every materialization's provenance (kept equal to package.json by a test). */
export const WEIR_VERSION = '0.1.0';
