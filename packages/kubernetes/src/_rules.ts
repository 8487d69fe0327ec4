/**
 * @module _rules
 * Kubernetes' rules for names, label keys and values, and resource names (as the API server
 * checks them), as predicates.
 */

/** DNS-1123 label: a namespace, a Job's name (its pods' `job-name` label must fit 63 too). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1123 subdomain: a Secret's or a ServiceAccount's name. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
/** An environment variable's name as the launcher accepts it (C identifiers). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A key of a Secret's data. */
export const SECRET_KEY = /^[-._A-Za-z0-9]+$/;

export function isDnsLabel(text: string): boolean {
  return text.length <= 63 && DNS_LABEL.test(text);
}

export function isDnsSubdomain(text: string): boolean {
  return text.length <= 253 && DNS_SUBDOMAIN.test(text);
}

/** A label or annotation key: `[prefix/]name`, prefix a DNS subdomain, name ≤ 63. */
export function isQualifiedName(text: string): boolean {
  const slash = text.lastIndexOf('/');
  const name = slash === -1 ? text : text.slice(slash + 1);
  const prefix = slash === -1 ? undefined : text.slice(0, slash);
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

export function isLabelValue(text: string): boolean {
  return text.length <= 63 && LABEL_VALUE.test(text);
}

/** A resource name for requests and limits: `cpu`, `memory`, `nvidia.com/gpu`. */
export function isResourceName(text: string): boolean {
  return isQualifiedName(text);
}
