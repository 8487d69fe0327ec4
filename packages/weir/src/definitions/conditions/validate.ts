/**
 * @module definitions/conditions/validate
 * Checking a condition tree an asset declares: every node known and well formed, so the
 * engine never meets a malformed node at evaluation time.
 */
import { DefinitionError } from '../../errors.js';
import { cronProblem } from '../_cron.js';
import { type AutomationCondition, childrenOf, isCondition } from './types.js';

const OWN = [
  'missing',
  'in-progress',
  'failed',
  'overdue',
  'code-version-changed',
  'newly-updated',
  'newly-requested',
  'initial-evaluation',
];
const UPSTREAM = [
  'upstream-updated',
  'upstream-newly-updated',
  'upstream-in-progress',
  'upstream-failing',
  'upstream-check-failing',
  'upstream-missing',
  'upstream-requested',
];
const MAX_NODES = 1000;

/**
 * Checks `condition` as `owner` declares it (e.g. `asset 'gauges/peaks' automation`),
 * throwing a `DefinitionError` naming the node's path (`and[2].not`) and the problem.
 */
export function validateCondition(condition: unknown, owner: string): AutomationCondition {
  let seen = 0;
  const visit = (node: unknown, path: string): void => {
    const fail = (why: string): never => {
      throw new DefinitionError(
        'E_DEFINITION',
        `${owner}${path === '' ? '' : ` at ${path}`}: ${why}`,
        {
          hint: 'build conditions with eager(), onCron(…), missing(), and(…), … from weir',
        },
      );
    };
    if (!isCondition(node)) {
      fail('not an automation condition');
      return;
    }
    seen += 1;
    if (seen > MAX_NODES) fail(`more than ${MAX_NODES} nodes`);
    if (typeof node.name !== 'string' || node.name === '') fail('a node without a name');
    if (typeof node.description !== 'string') fail(`node '${node.name}' has no description`);
    problemOf(node, fail);
    const here = path === '' ? node.name : `${path}.${node.name}`;
    childrenOf(node).forEach((child, i) => {
      visit(child, `${here}[${i}]`);
    });
  };
  visit(condition, '');
  return condition as AutomationCondition;
}

function problemOf(node: AutomationCondition, fail: (why: string) => never): void {
  switch (node.type) {
    case 'and':
    case 'or':
      if (!Array.isArray(node.operands) || node.operands.length === 0) {
        fail(`'${node.name}' needs at least one operand`);
      }
      return;
    case 'not':
    case 'newly-true':
      if (node.operand === undefined) fail(`'${node.name}' needs an operand`);
      return;
    case 'since':
      if (node.trigger === undefined || node.reset === undefined) {
        fail(`'${node.name}' needs a trigger and a reset`);
      }
      return;
    case 'in-latest-time-window':
      if (!(Number.isFinite(node.lookbackMs) && node.lookbackMs >= 0)) {
        fail('in_latest_time_window needs a lookback of 0 or more ms');
      }
      return;
    case 'cron-tick-passed':
    case 'upstreams-updated-since-cron': {
      const problem = cronProblem(node.cron, node.timezone);
      if (problem !== undefined) fail(problem);
      if (node.type === 'upstreams-updated-since-cron') checkIgnore(node.ignore, fail);
      return;
    }
    default:
      if (UPSTREAM.includes(node.type)) {
        checkIgnore((node as { ignore?: unknown }).ignore, fail);
        return;
      }
      if (!OWN.includes(node.type)) fail(`unknown condition type '${String(node.type)}'`);
  }
}

function checkIgnore(ignore: unknown, fail: (why: string) => never): void {
  if (!Array.isArray(ignore) || !ignore.every((key) => typeof key === 'string')) {
    fail('ignore must be a list of asset keys');
  }
}
