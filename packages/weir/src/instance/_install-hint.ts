/**
 * @module instance/_install-hint
 * How to install one of Weir's server packages in a project. They are not on the npm registry
 * (`npm install @weir/postgres` fails with a 404), so the way is a tarball packed from a Weir
 * checkout, which docs/instance.md shows step by step.
 */
import { WEIR_VERSION } from '../version.js';

export type BackendPackage = '@weir/postgres' | '@weir/s3' | '@weir/queue';

export function backendInstallHint(name: BackendPackage): string {
  const folder = name.slice('@weir/'.length);
  return `${name} is not on the npm registry: in a Weir checkout, npm pack -w packages/${folder} --pack-destination DIR, then in the project npm install DIR/weir-${folder}-${WEIR_VERSION}.tgz (docs/instance.md)`;
}
