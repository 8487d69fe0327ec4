/**
 * @module execution/_resources
 * Resources of a run: each created once, on first use, and disposed of in reverse order.
 */
import type { ResourceDefinition, ResourceMap } from '../definitions/index.js';
import { UserCodeError } from '../errors.js';

/** Creates each resource once per run, on first use, and disposes of them in reverse order. */
export class ResourcePool {
  private readonly created = new Map<string, Promise<unknown>>();
  /** Created values in creation order (only those whose create() succeeded). */
  private readonly order: Array<{
    definition: ResourceDefinition<string, unknown>;
    value: unknown;
  }> = [];

  constructor(
    private readonly declared: ReadonlyMap<string, ResourceDefinition<string, unknown>>,
    private readonly signal: AbortSignal,
  ) {}

  /** The values of an asset's `resources`, by the names the asset gave them. */
  async valuesFor(used: ResourceMap): Promise<Record<string, never>> {
    const values: Record<string, unknown> = {};
    for (const [name, definition] of Object.entries(used))
      values[name] = await this.get(definition.key);
    return values as Record<string, never>;
  }

  private get(key: string): Promise<unknown> {
    let value = this.created.get(key);
    if (value === undefined) {
      const definition = this.declared.get(key);
      if (definition === undefined) {
        throw new UserCodeError('E_DEFINITION', `resource '${key}' is not declared in the project`);
      }
      const creating = Promise.resolve().then(() =>
        definition.create({ key, signal: this.signal }),
      );
      value = creating.then(
        (created) => {
          this.order.push({ definition, value: created });
          return created;
        },
        (error: unknown) => {
          // Not cached: a retried step tries to create it again (the database may be back).
          this.created.delete(key);
          throw new UserCodeError(
            'E_USER_CODE',
            `resource '${key}' could not be created: ${(error as Error)?.message ?? error}`,
            {
              cause: error,
            },
          );
        },
      );
      this.created.set(key, value);
    }
    return value;
  }

  /** Disposes of every created resource; returns the errors instead of throwing the first. */
  async disposeAll(): Promise<Error[]> {
    const errors: Error[] = [];
    for (const { definition, value } of this.order.reverse()) {
      if (definition.dispose === undefined) continue;
      try {
        await definition.dispose(value);
      } catch (error) {
        errors.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
    this.order.length = 0;
    this.created.clear();
    return errors;
  }
}
