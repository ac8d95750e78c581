/**
 * Scenario 3: the database goes away for 60 s in the middle of a run (FerretDB and the
 * PostgreSQL under it both stopped, as an outage of the whole database tier), then comes
 * back on the same data and the same port. The run is slowed to about two creators a
 * second so that the outage falls inside its warning phase, and the first grace periods
 * end while the database is still away. On a database of its own: the other scenarios
 * running meanwhile keep theirs.
 */
import { policy, Scenario, sleep, type ScenarioReport, type Suite } from '../lib/scenario';
import { RestartableDatabase } from '../lib/servers';

const CREATORS = 30;
const OUTAGE_MS = 60_000;

export async function databaseOutage(suite: Suite, budgetMs: number): Promise<ScenarioReport> {
  const database = await RestartableDatabase.start('database-s3', suite.logDir, suite.cleanup);
  const s = await new Scenario(suite, {
    number: 3,
    name: `database unreachable for ${OUTAGE_MS / 1000} s mid-run`,
    creators: CREATORS,
    policy: policy(60, 90, 30),
    stuckMarginMs: 1000,
    database,
    // Four requests a second: two creators a second, a warning phase of about half a minute.
    env: { DISCORD_REQUESTS_PER_SECOND: '4' },
  }).open();
  const deadline = Date.now() + budgetMs;

  await s.seedWarnable(
    s.creators.flatMap((creatorId, i) =>
      Array.from({ length: 1 + (i % 2) }, (_, k) => s.command(creatorId, `d${i}-${k}`, 100_000)),
    ),
  );
  s.summaries = 1;
  // Every fifth creator uses one command during its grace period (retried while the database
  // is away, as the bot would): that one is kept.
  const plan = new Map<string, string[]>();
  s.creators.forEach((creatorId, i) => {
    if (i % 5 === 2) plan.set(creatorId, s.warnable.get(creatorId)!.slice(0, 1));
  });

  const worker = await suite.children.startWorker('s3', s.env());
  const runKey = await s.runCleanup();
  s.log(`run ${runKey} started`);
  const uses = s.useAfterWarning(plan, [1000, 15_000], deadline);

  await s.until('the first warnings', () => s.warningDms() >= CREATORS / 4, deadline, 200);
  await database.stop();
  s.faults += 1;
  const outageEnd = Date.now() + OUTAGE_MS;
  s.log(`database stopped with ${s.warningDms()} warning DMs out`);
  await sleep(outageEnd - Date.now());
  await database.start();
  s.log(`database back on the same data, ${s.warningDms()} warning DMs so far`);

  await uses;
  await s.settle(deadline);
  await worker.kill(); // the scenario has settled: nothing of it runs any more
  return s.report();
}
