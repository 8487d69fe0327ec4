/**
 * @module execution/ready-queue
 * Which units of a run may start, as units settle: pure bookkeeping over the units' edges,
 * no I/O and no clock, so the scheduler's rules are tested on their own.
 */

/** What the queue needs of a unit: its id (its index in the list) and its edges. */
export interface QueueUnit {
  readonly id: number;
  /** Units it waits for, and units waiting for it (by id). */
  readonly parents: readonly number[];
  readonly children: readonly number[];
}

/**
 * Units become ready in the order their last parent settles (roots in list order); a unit is
 * handed out once (`take`) and settles exactly once. Settling a unit that failed can settle
 * the units that read it (`skipReaders`), but never one that is running.
 */
export class ReadyQueue<U extends QueueUnit> {
  private readonly waitingOn: Int32Array;
  /** 0: waiting or ready, 1: running, 2: settled. */
  private readonly phase: Uint8Array;
  private readonly ready: number[] = [];
  private next = 0;
  private unsettled: number;

  constructor(private readonly units: readonly U[]) {
    this.waitingOn = new Int32Array(units.length);
    this.phase = new Uint8Array(units.length);
    this.unsettled = units.length;
    for (const unit of units) {
      this.waitingOn[unit.id] = unit.parents.length;
      if (unit.parents.length === 0) this.ready.push(unit.id);
    }
  }

  /** The next ready unit, now running; undefined when none is ready (yet). */
  take(): U | undefined {
    while (this.next < this.ready.length) {
      const id = this.ready[this.next++]!;
      if (this.phase[id] !== 0) continue;
      this.phase[id] = 1;
      return this.units[id]!;
    }
    return undefined;
  }

  /**
   * Hands a running unit back, to be taken again after the units ready now (it waited for
   * another process to release it); false when it had settled meanwhile.
   */
  requeue(unit: U): boolean {
    if (this.phase[unit.id] !== 1) return false;
    this.phase[unit.id] = 0;
    this.ready.push(unit.id);
    return true;
  }

  /** Settles `unit` and releases the units waiting for it; false when it had settled already. */
  settle(unit: U): boolean {
    if (this.phase[unit.id] === 2) return false;
    this.phase[unit.id] = 2;
    this.unsettled--;
    for (const id of unit.children) {
      if (this.phase[id] !== 0) continue;
      if (--this.waitingOn[id]! === 0) this.ready.push(id);
    }
    return true;
  }

  /**
   * Settles the units that read `unit`, directly or through other units settled here, and
   * returns them in list order. Running or settled units are left alone, and so is what
   * they lead to. With `reads`, only the direct readers it accepts are followed.
   */
  skipReaders(unit: U, reads: (child: U) => boolean = () => true): U[] {
    const skipped: U[] = [];
    const stack = [unit];
    while (stack.length > 0) {
      const from = stack.pop()!;
      for (const id of from.children) {
        const child = this.units[id]!;
        if (this.phase[id] !== 0) continue;
        if (from === unit && !reads(child)) continue;
        this.settle(child);
        skipped.push(child);
        stack.push(child);
      }
    }
    return skipped.sort((a, b) => a.id - b.id);
  }

  /** Settles every unit not settled yet (a cancelled run) and returns them in list order. */
  settleAll(): U[] {
    const rest = this.units.filter((unit) => this.phase[unit.id] !== 2);
    for (const unit of rest) this.settle(unit);
    return rest;
  }

  isRunning(unit: U): boolean {
    return this.phase[unit.id] === 1;
  }

  /** Every unit has settled. */
  get done(): boolean {
    return this.unsettled === 0;
  }
}
