/**
 * Generation timings for the default and the large (benchmark) portal. Run: node test/sandboxes/seed/bench.ts
 * Printed, not asserted: the numbers depend on the machine and its load.
 */
import { generateSyntheticPortal, LARGE_PORTAL_OPTIONS } from './synthetic-portal.ts';

function measure(label: string, options: Parameters<typeof generateSyntheticPortal>[0]): void {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const portal = generateSyntheticPortal(options);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const t1 = performance.now();
  const bytes = JSON.stringify(portal).length;
  const stringifyMs = performance.now() - t1;
  console.log(
    `${label}: ${portal.companies.length} companies, ${portal.contacts.length} contacts, ${portal.deals.length} deals, ` +
      `${portal.activities.length} activities, ${portal.associations.length} associations in ${wallMs.toFixed(0)} ms ` +
      `(cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms); JSON ${(bytes / 1e6).toFixed(1)} MB in ${stringifyMs.toFixed(0)} ms`,
  );
}

measure('default (warm-up)', { seed: 1 });
measure('default', { seed: 2 });
measure('large', { seed: 1, ...LARGE_PORTAL_OPTIONS });
