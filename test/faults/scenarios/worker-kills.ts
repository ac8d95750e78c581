/**
 * Scenario 1: a 300-creator cleanup through the guild's Schedule while worker processes
 * are killed with SIGKILL 20 times at random moments of the warning phase, the grace
 * periods and the deletions. A small fleet keeps running meanwhile (a crash replaced
 * at once, as a process supervisor would), so every phase has a worker to go on with.
 * Some creators use their commands during the grace period: those are kept.
 */
import { randomInt } from 'node:crypto';
import type { WorkerHandle } from '../lib/children';
import { policy, Scenario, sleep, type ScenarioReport, type Suite } from '../lib/scenario';

const CREATORS = 300;
const KILLS = 20;
const SETTLE_AFTER_KILLS_MS = 120_000;
/** Workers started at first; afterwards each kill starts one replacement. */
const FLEET = 2;
/** Worker processes starting at once at most: each bundles the workflows, seconds of CPU. */
const MAX_STARTING = 3;

export async function workerKills(suite: Suite, budgetMs: number): Promise<ScenarioReport> {
  const s = await new Scenario(suite, {
    number: 1,
    name: `${CREATORS}-creator run, worker SIGKILLed ${KILLS} times`,
    creators: CREATORS,
    // The product's 60/90/30 days with a day scaled to a second; its "overdue" day is the margin.
    policy: policy(60, 90, 30),
    stuckMarginMs: 1000,
    // Discord publishes no limit for the membership route; the emulator's 10/s default would
    // hold the run to three creators a second for no purpose of this scenario.
    emulator: { defaultRouteLimit: { limit: 50, windowMs: 1000 } },
    // Twenty requests a second, ten creators: a warning phase of half a minute, deletions as long.
    env: { DISCORD_REQUESTS_PER_SECOND: '20' },
  }).open();
  const deadline = Date.now() + budgetMs;
  // After the kills the run still has its work ahead (workers starting, activities of killed
  // workers noticed at their heartbeat timeout, 300 DMs at the rate cap, the grace period and
  // the deletions): the scenario waits for it this much longer before it counts.
  const settleBy = deadline + SETTLE_AFTER_KILLS_MS;
  const errors: string[] = [];

  // Creators own one to three commands, idle for "100 days". Every tenth creator uses all of
  // theirs during the grace period (no deletion DM), every tenth + 5 one of two (still one).
  const docs = s.creators.flatMap((creatorId, i) => {
    const count = i % 10 === 5 ? 2 : 1 + (i % 3);
    return Array.from({ length: count }, (_, k) => s.command(creatorId, `c${i}-${k}`, 100_000));
  });
  await s.seedWarnable(docs);
  s.summaries = 1;
  const planned = new Map<string, string[]>();
  s.creators.forEach((creatorId, i) => {
    const names = s.warnable.get(creatorId)!;
    if (i % 10 === 0) planned.set(creatorId, names);
    else if (i % 10 === 5) planned.set(creatorId, names.slice(0, 1));
  });

  const fleet: WorkerHandle[] = [];
  const alive = () => fleet.filter((w) => w.run.child.exitCode === null && w.run.child.signalCode === null);
  const running = () => alive().filter((w) => /worker running/.test(w.run.output()));
  const starting = () => alive().length - running().length;
  const spawn = () => fleet.push(suite.children.spawnWorker('s1', s.env()));
  // One at a time at first: workers bundling side by side on two cores take minutes, not seconds.
  for (let i = 0; i < FLEET; i++) {
    spawn();
    await s.until('a worker of the fleet', () => running().length > i, deadline, 200);
  }

  const scheduled = await suite.children.starter('s1-schedule', ['schedule'], s.env());
  if (scheduled.code !== 0)
    errors.push(`starter schedule exited ${scheduled.code}: ${scheduled.output.trim()}`);
  const triggered = await suite.children.starter('s1-trigger', ['trigger'], s.env());
  if (triggered.code !== 0)
    errors.push(`starter trigger exited ${triggered.code}: ${triggered.output.trim()}`);
  s.log('schedule created and triggered');

  // Uses: each planned creator uses their command(s) 1-20 "days" after their warning arrived.
  const uses = s.useAfterWarning(planned, [1000, 20_000], settleBy);

  // The kills land mid-run: once the first warnings are out. Killed before its first claim
  // completes, again and again, the run only waits out that claim's heartbeat timeout each
  // time and may not start before the kills are over (seen on a loaded machine).
  await s.until(
    'the first warning DM',
    () => s.warningDms() > 0,
    Math.min(deadline, Date.now() + 60_000),
    200,
  );

  // The kills: at random intervals, one running worker, replaced at once. A kill waits for
  // the whole fleet to be running, so the run always keeps a worker: killing the last one as
  // soon as it is up would only stall the run until the next start, again and again.
  for (let kill = 1; kill <= KILLS && Date.now() < deadline; kill++) {
    await sleep(randomInt(1000, 3000));
    await s.until(
      'a running worker to kill',
      () => running().length >= FLEET && starting() < MAX_STARTING,
      deadline,
      200,
    );
    const candidates = running();
    if (candidates.length === 0) break; // the deadline passed with no worker up: the report says so
    const victim = candidates[randomInt(candidates.length)]!;
    if (victim.run.child.pid) s.killedPids.add(victim.run.child.pid);
    await victim.kill();
    fleet.splice(fleet.indexOf(victim), 1);
    s.faults += 1;
    spawn();
    s.log(`SIGKILL ${kill}/${KILLS}: ${s.warningDms()} warning DMs so far`);
  }
  if (s.faults < KILLS)
    s.failures.push(
      `only ${s.faults} of ${KILLS} SIGKILLs before the scenario's deadline (no worker up in time)`,
    );
  await uses;
  await s.settle(settleBy);
  // Counted after the settling: what a worker still holds no longer changes the counts.
  await Promise.all(fleet.map((w) => w.kill()));
  await suite.children
    .starter('s1-unschedule', ['unschedule'], s.env())
    .catch((e: unknown) => errors.push(`unschedule: ${String(e)}`));
  return s.report(errors);
}
