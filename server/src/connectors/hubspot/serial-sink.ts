import type { SyncSink } from '../connector.ts';

/**
 * A sink that lets at most `concurrency` writes run at once. A full sync runs eight streams side by side;
 * without this they would each hold a database connection and, on a busy database, wait past the pool's
 * acquire timeout. The store keeps up with the rate limit on one or two connections.
 */
export function limitSinkConcurrency(sink: SyncSink, concurrency: number): SyncSink {
  let active = 0;
  const waiting: (() => void)[] = [];
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
  const fieldOptions = sink.fieldOptions?.bind(sink);
  return {
    ...(fieldOptions ? { fieldOptions: (options: Parameters<typeof fieldOptions>[0]) => run(() => fieldOptions(options)) } : {}),
    records: (records) => run(() => sink.records(records)),
    activities: (activities) => run(() => sink.activities(activities)),
    associations: (associations) => run(() => sink.associations(associations)),
    customFields: (fields) => run(() => sink.customFields(fields)),
    stages: (stages) => run(() => sink.stages(stages)),
    archive: (objectType, externalIds) => run(() => sink.archive(objectType, externalIds)),
    archiveActivities: (kind, externalIds) => run(() => sink.archiveActivities(kind, externalIds)),
  };
}
