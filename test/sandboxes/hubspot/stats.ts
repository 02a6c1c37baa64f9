/** Request counters the tests and benchmarks read (`sandbox.stats()`). */
export interface SandboxStats {
  requests: number;
  rateLimited: number;
  /** 429s per HubSpot policyName (TEN_SECONDLY_ROLLING, DAILY, SECONDLY); a fault storm's count as `fault`. */
  rateLimitedByPolicy: Record<string, number>;
  /** Key: `METHOD /path` with numeric ids replaced by `{id}`. */
  byPath: Record<string, number>;
  byStatus: Record<string, number>;
}

export class StatsCollector {
  private requests = 0;
  private rateLimited = 0;
  private readonly byPath = new Map<string, number>();
  private readonly byStatus = new Map<string, number>();
  private readonly byPolicy = new Map<string, number>();

  record(method: string, path: string, status: number, policy?: string): void {
    this.requests++;
    if (status === 429) {
      this.rateLimited++;
      const name = policy ?? 'fault';
      this.byPolicy.set(name, (this.byPolicy.get(name) ?? 0) + 1);
    }
    const key = `${method} ${path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
    this.byPath.set(key, (this.byPath.get(key) ?? 0) + 1);
    this.byStatus.set(String(status), (this.byStatus.get(String(status)) ?? 0) + 1);
  }

  snapshot(): SandboxStats {
    return {
      requests: this.requests,
      rateLimited: this.rateLimited,
      rateLimitedByPolicy: Object.fromEntries(this.byPolicy),
      byPath: Object.fromEntries(this.byPath),
      byStatus: Object.fromEntries(this.byStatus),
    };
  }

  reset(): void {
    this.requests = 0;
    this.rateLimited = 0;
    this.byPath.clear();
    this.byStatus.clear();
    this.byPolicy.clear();
  }
}
