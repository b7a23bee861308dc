/**
 * An approval store in this process's memory: for tests, scripts and single-process agents that
 * do not need approvals to survive a restart. `store: "memory"`.
 */
import type { ApprovalRecord, ApprovalStatus, ApprovalStore, ListFilter, TransitionPatch } from "./store.js";

export class MemoryApprovalStore implements ApprovalStore {
  readonly name = "memory";
  private readonly records = new Map<string, ApprovalRecord>();
  private closed = false;

  private open(): void {
    if (this.closed) throw new Error("the memory store is closed");
  }

  async create(record: ApprovalRecord): Promise<void> {
    this.open();
    if (this.records.has(record.id)) throw new Error(`approval ${record.id} exists already`);
    this.records.set(record.id, structuredClone(record));
  }

  async get(id: string): Promise<ApprovalRecord | undefined> {
    this.open();
    const r = this.records.get(id);
    return r === undefined ? undefined : structuredClone(r);
  }

  async list(filter: ListFilter = {}): Promise<ApprovalRecord[]> {
    this.open();
    const all = [...this.records.values()]
      .filter((r) => filter.status === undefined || r.status === filter.status)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    return (filter.limit === undefined ? all : all.slice(0, filter.limit)).map((r) => structuredClone(r));
  }

  async transition(
    id: string,
    from: readonly ApprovalStatus[],
    to: ApprovalStatus,
    patch: TransitionPatch = {},
    digest?: string,
  ): Promise<ApprovalRecord | undefined> {
    this.open();
    const r = this.records.get(id);
    if (r === undefined || !from.includes(r.status)) return undefined;
    if (digest !== undefined && r.digest !== digest) return undefined;
    const next: ApprovalRecord = { ...r, ...structuredClone(patch), status: to };
    this.records.set(id, next);
    return structuredClone(next);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
