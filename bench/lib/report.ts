/** The benchmark's figures as a readable table, with where the activities' time went. */
import type { CountersSnapshot } from '../../src/emulator';
import type { ActivityTiming } from './histories';

type Figures = Record<string, unknown> & {
  seedPattern: { creatorsPerSecond: number; requestsPerSecond: number };
};

export function printTable(
  figures: Figures,
  counters: CountersSnapshot,
  timings: ActivityTiming[],
  warnedCreators: number,
): void {
  const { seedPattern, ...rest } = figures;
  const width = Math.max(...Object.keys(rest).map((k) => k.length)) + 2;
  console.log(`warned creators: ${warnedCreators}`);
  for (const [key, value] of Object.entries(rest)) console.log(`${key.padEnd(width)}${String(value)}`);
  console.log(
    `${'seedPattern'.padEnd(width)}${seedPattern.creatorsPerSecond} creators/s, ${seedPattern.requestsPerSecond} requests/s`,
  );
  console.log('\nrequests per route');
  for (const [route, count] of Object.entries(counters.perRoute))
    console.log(`  ${route.padEnd(44)} ${count}`);
  console.log('\nactivities of the cleanup run: count, mean wait in the task queue, mean run time');
  for (const t of timings.sort((a, b) => b.count - a.count)) {
    console.log(
      `  ${t.activity.padEnd(28)} ${String(t.count).padStart(7)}  ${t.meanQueueMs.toFixed(0).padStart(7)} ms  ${t.meanRunMs.toFixed(0).padStart(7)} ms`,
    );
  }
}
