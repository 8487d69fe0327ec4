/** A launcher configuration like the one in deploy/kubernetes, shared by the tests. */
import type { KubernetesLauncherConfig } from '../src/index.js';

export const CONFIG: KubernetesLauncherConfig = {
  image: 'registry.example.org/hydrology:1.4.0',
  namespace: 'weir',
  serviceAccountName: 'weir-worker',
  env: { WEIR_PROJECT: '/app', WEIR_ARTEFACTS: 's3://weir-artefacts/hydrology/' },
  secretEnv: {
    WEIR_DATABASE_URL: { secret: 'weir-database', key: 'url' },
    AWS_SECRET_ACCESS_KEY: { secret: 'weir-s3', key: 'secret-access-key' },
  },
  requests: { cpu: '500m', memory: '1Gi' },
  nodePools: {
    gpu: {
      nodeSelector: { 'weir.dev/pool': 'gpu' },
      gpus: 1,
      requests: { cpu: '4', memory: '16Gi' },
    },
    highmem: {
      tolerations: [{ key: 'weir.dev/highmem', operator: 'Exists', effect: 'NoSchedule' }],
      requests: { cpu: '2', memory: '48Gi' },
      limits: { memory: '60Gi' },
    },
  },
  locations: {
    prep: { image: 'registry.example.org/weir-prep-gdal:1.4.0' },
    ml: { image: 'registry.example.org/weir-ml-pytorch:1.4.0' },
  },
};
