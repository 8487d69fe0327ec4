/**
 * The fields of a `batch/v1` Job the launcher relies on, with the API server's own rules for
 * each (names, label keys and values, quantities, env, tolerations), written from the
 * Kubernetes API reference independently of the launcher's code: a manifest that passes here
 * has every field the launcher writes in a form the server accepts, and the policies Weir
 * depends on (no Kubernetes retries, pods never restarted in place, no credential inline).
 */
import { z } from 'zod';

const dnsLabel = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
const dnsSubdomain = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/);
const qualifiedName = z.string().refine((key) => {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts.at(-1)!;
  const prefixOk = parts.length === 1 || dnsSubdomain.safeParse(parts[0]).success;
  return prefixOk && name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
}, 'a qualified name');
const labelValue = z
  .string()
  .max(63)
  .regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/);
/** Kubernetes' quantity grammar (resource.Quantity): a decimal with an optional suffix. */
const quantity = z
  .string()
  .regex(/^[+]?(\d+(\.\d*)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+)?$/);
const resourceList = z.record(qualifiedName, quantity);

const credential = /(DATABASE_URL|PASSWORD|SECRET|TOKEN|CREDENTIAL|PRIVATE_KEY|_KEY$)/i;
const envVar = z
  .strictObject({
    name: z.string().regex(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/),
    value: z.string().optional(),
    valueFrom: z
      .strictObject({
        secretKeyRef: z.strictObject({
          name: dnsSubdomain,
          key: z.string().regex(/^[-._a-zA-Z0-9]+$/),
        }),
      })
      .optional(),
  })
  .refine(
    (env) => (env.value === undefined) !== (env.valueFrom === undefined),
    'value or valueFrom',
  )
  .refine(
    (env) => env.value === undefined || !credential.test(env.name),
    'a credential given inline',
  );

const toleration = z.strictObject({
  key: qualifiedName.optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: labelValue.optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.int().optional(),
});

const meta = z.strictObject({
  labels: z.record(qualifiedName, labelValue),
  annotations: z.record(qualifiedName, z.string()),
});

export const jobSchema = z.strictObject({
  apiVersion: z.literal('batch/v1'),
  kind: z.literal('Job'),
  metadata: meta.extend({ name: dnsLabel, namespace: dnsLabel }),
  spec: z.strictObject({
    backoffLimit: z.literal(0),
    ttlSecondsAfterFinished: z.int().min(0),
    activeDeadlineSeconds: z.int().min(1).optional(),
    template: z.strictObject({
      metadata: meta,
      spec: z.strictObject({
        restartPolicy: z.literal('Never'),
        serviceAccountName: dnsSubdomain.optional(),
        nodeSelector: z.record(qualifiedName, labelValue).optional(),
        tolerations: z.array(toleration).optional(),
        imagePullSecrets: z.array(z.strictObject({ name: dnsSubdomain })).optional(),
        terminationGracePeriodSeconds: z.int().min(0),
        containers: z
          .array(
            z.strictObject({
              name: dnsLabel,
              image: z.string().min(1),
              imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
              command: z.array(z.string()).min(1),
              env: z.array(envVar),
              resources: z.strictObject({
                requests: resourceList.optional(),
                limits: resourceList.optional(),
              }),
            }),
          )
          .length(1),
      }),
    }),
  }),
});
