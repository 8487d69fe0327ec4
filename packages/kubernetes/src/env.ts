/**
 * @module env
 * The worker container's environment: the configuration's plain values, the launch's own on
 * top, every `secretEnv` name from its Secret (`valueFrom.secretKeyRef`), and `WEIR_LAUNCH_ID`.
 * A credential never goes inline: a launch that carries one of the `secretEnv` names has that
 * value dropped for the Secret's, and a launch that carries another credential-like name
 * (`*_PASSWORD`, `*_TOKEN`, `WEIR_DATABASE_URL`, …) is refused, naming it.
 */

import { EnvironmentError, type LaunchRequest } from 'weir';
import { isSensitiveEnvName, type ResolvedLauncherConfig } from './config.js';
import type { EnvVar } from './job-types.js';

/** `$(NAME)` in an env value or argument is expanded by Kubernetes; `$$(` keeps it as written. */
export function escapeExpansion(text: string): string {
  return text.replaceAll('$(', () => '$$('); // a function: in a replacement string, $$ means $
}

export function containerEnv(request: LaunchRequest, config: ResolvedLauncherConfig): EnvVar[] {
  const fromSecrets = config.secretEnv;
  const plain: Record<string, string> = { ...config.env };
  for (const [name, value] of Object.entries(request.env)) {
    if (Object.hasOwn(fromSecrets, name) || name === 'WEIR_LAUNCH_ID') continue;
    if (isSensitiveEnvName(name)) {
      const who = request.asset === undefined ? `launch ${request.id}` : `asset '${request.asset}'`;
      throw new EnvironmentError(
        'E_LAUNCH',
        `the launch of ${who} carries ${name}, a credential the kubernetes launcher will not write into a Job's spec`,
        { hint: `give it from a Secret: secretEnv: { ${name}: { secret: '…', key: '…' } }` },
      );
    }
    plain[name] = value;
  }
  const env: EnvVar[] = Object.keys(plain)
    .sort()
    .map((name) => ({ name, value: escapeExpansion(plain[name]!) }));
  for (const name of Object.keys(fromSecrets).sort()) {
    const ref = fromSecrets[name]!;
    env.push({ name, valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key } } });
  }
  env.push({ name: 'WEIR_LAUNCH_ID', value: request.id });
  return env;
}
