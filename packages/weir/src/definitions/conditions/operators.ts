/**
 * @module definitions/conditions/operators
 * Combining conditions: `and`, `or`, `not`, `since`, `newlyTrue`, and `named` to give a
 * composition a name of its own.
 */
import { DefinitionError } from '../../errors.js';
import {
  type AndCondition,
  type AutomationCondition,
  isCondition,
  type NewlyTrueCondition,
  type NotCondition,
  type OrCondition,
  type SinceCondition,
} from './types.js';

function operand(value: unknown, what: string): AutomationCondition {
  if (!isCondition(value)) {
    throw new DefinitionError('E_DEFINITION', `${what} is not an automation condition`, {
      hint: 'build conditions with eager(), missing(), and(…), … from weir',
    });
  }
  return value;
}

function operands(list: readonly unknown[], op: string): AutomationCondition[] {
  if (list.length === 0) {
    throw new DefinitionError('E_DEFINITION', `${op}() needs at least one condition`);
  }
  return list.map((value, i) => operand(value, `${op}() operand ${i + 1}`));
}

/** True for the partitions every operand is true for. */
export function and(...conditions: AutomationCondition[]): AndCondition {
  const list = operands(conditions, 'and');
  return {
    kind: 'condition',
    type: 'and',
    name: 'and',
    description: `all of: ${list.map((c) => c.name).join(', ')}`,
    operands: list,
  };
}

/** True for the partitions any operand is true for. */
export function or(...conditions: AutomationCondition[]): OrCondition {
  const list = operands(conditions, 'or');
  return {
    kind: 'condition',
    type: 'or',
    name: 'or',
    description: `any of: ${list.map((c) => c.name).join(', ')}`,
    operands: list,
  };
}

/** True for the partitions `condition` is false for. */
export function not(condition: AutomationCondition): NotCondition {
  const inner = operand(condition, 'not() operand');
  return {
    kind: 'condition',
    type: 'not',
    name: `not_${inner.name}`,
    description: `not: ${inner.description}`,
    operand: inner,
  };
}

/**
 * True from the evaluation at which `trigger` is true for a partition until one at which
 * `reset` is (and `trigger` is not): a trigger and a reset at the same evaluation leave it
 * true. It remembers, per partition, between evaluations.
 *
 * @example
 * // once per upstream change: true after new data, until this asset is requested
 * since(upstreamNewlyUpdated(), newlyRequested());
 */
export function since(trigger: AutomationCondition, reset: AutomationCondition): SinceCondition {
  const t = operand(trigger, 'since() trigger');
  const r = operand(reset, 'since() reset');
  return {
    kind: 'condition',
    type: 'since',
    name: `${t.name}_since_${r.name}`,
    description: `${t.name} was true at some evaluation since ${r.name} last was`,
    trigger: t,
    reset: r,
  };
}

/** True for a partition at an evaluation where `condition` is true and was not at the previous one. */
export function newlyTrue(condition: AutomationCondition): NewlyTrueCondition {
  const inner = operand(condition, 'newlyTrue() operand');
  return {
    kind: 'condition',
    type: 'newly-true',
    name: `newly_${inner.name}`,
    description: `${inner.name} became true since the previous evaluation`,
    operand: inner,
  };
}

/**
 * The same condition under another name and description, shown in `weir automation` and in
 * every explanation.
 *
 * @example
 * const afterInputs = named(and(cronTickPassed('0 6 * * *'), not(upstreamMissing())), 'morning', 'at 06:00 once inputs exist');
 */
export function named<C extends AutomationCondition>(
  condition: C,
  name: string,
  description: string,
): C {
  operand(condition, 'named() condition');
  if (typeof name !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)) {
    throw new DefinitionError(
      'E_DEFINITION',
      `named(): invalid name ${JSON.stringify(name)}: use letters, digits, '_', '.' and '-'`,
    );
  }
  if (typeof description !== 'string' || description === '') {
    throw new DefinitionError('E_DEFINITION', `named(): '${name}' needs a description`);
  }
  return { ...condition, name, description };
}
