/**
 * @module @weir/s3
 * Weir's artefact store on S3 and S3-compatible object stores (MinIO, Ceph, R2, s3rver):
 * content-addressed keys, atomic publish, multipart uploads, verified reads, streaming and
 * range reads, and a local cache for steps that read artefacts as files.
 */
export { S3ArtefactStore, type S3ArtefactStoreOptions } from './s3-artefact-store.js';
