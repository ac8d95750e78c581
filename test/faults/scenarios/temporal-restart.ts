/**
 * Scenario 2: the Temporal server killed (SIGKILL) and restarted on its database file
 * while grace periods run: once in their middle, with uses of commands made while it is
 * down (the bot-side API waits on each use's signal; the conditional delete must keep
 * those commands whatever becomes of it), and once as the deadlines fire, with deletions
 * and deletion DMs in flight. On a
 * Temporal server of its own, so the other scenarios keep theirs. The worker is left to
 * ride the outages out; should it exit, it is restarted (and the report says so).
 */
import { policy, Scenario, sleep, type ScenarioReport, type Suite } from '../lib/scenario';
import type { WorkerHandle } from '../lib/children';
import { RestartableTemporal } from '../lib/servers';

const CREATORS = 40;
const DOWN_MS = 8000;

export async function temporalRestart(
  suite: Suite,
  scratch: string,
  budgetMs: number,
): Promise<ScenarioReport> {
  const temporal = await RestartableTemporal.start('temporal-s2', scratch, suite.logDir, suite.cleanup);
  const s = await new Scenario(suite, {
    number: 2,
    name: 'Temporal server killed and restarted during grace periods',
    creators: CREATORS,
    policy: policy(60, 90, 30),
    stuckMarginMs: 1000,
    temporal,
  }).open();
  const deadline = Date.now() + budgetMs;

  await s.seedWarnable(
    s.creators.flatMap((creatorId, i) =>
      Array.from({ length: 1 + (i % 3) }, (_, k) => s.command(creatorId, `t${i}-${k}`, 100_000)),
    ),
  );
  s.summaries = 1;
  // Every fourth creator uses their first command while the server is down.
  const usedWhileDown = s.creators.filter((_, i) => i % 4 === 0).map((c) => s.warnable.get(c)![0]!);

  // A worker that exits on its own (it lost the server) is replaced, as a supervisor would.
  let worker: WorkerHandle = await suite.children.startWorker('s2', s.env());
  let supervising = true;
  const supervisor = (async () => {
    while (supervising) {
      const code = await Promise.race([worker.run.exited, sleep(500).then(() => 'alive' as const)]);
      if (code !== 'alive' && supervising) {
        s.notes.push(
          `the worker exited by itself (code ${String(code)}) during a Temporal outage; restarted`,
        );
        worker = suite.children.spawnWorker('s2', s.env());
      }
    }
  })();

  const runKey = await s.runCleanup();
  s.log(`run ${runKey} started`);
  await s.until('every warning DM', () => s.warningDms() >= CREATORS, deadline, 250);
  const firstDeadline = Date.now() + s.policy.graceMs;

  // Outage 1, mid-grace: kill, use commands meanwhile, restart on the same file.
  await sleep(8000);
  await temporal.kill();
  s.faults += 1;
  s.log('Temporal killed (mid-grace)');
  // The bot goes on recording uses meanwhile (each waits on its signal to the dead server).
  const downSince = Date.now();
  const uses = Promise.all(
    usedWhileDown.map((name) =>
      s.use(name).catch((e: unknown) => s.failures.push(`use of ${name}: ${String(e)}`)),
    ),
  ).then(() =>
    s.notes.push(
      `the uses made while Temporal was down took ${((Date.now() - downSince) / 1000).toFixed(1)} s`,
    ),
  );
  await sleep(DOWN_MS);
  await temporal.start();
  s.log('Temporal restarted on its database file');

  await uses;

  // Outage 2, as the grace deadlines fire (the last warning's deadline, half a second in).
  await sleep(Math.max(0, firstDeadline - Date.now() + 500));
  await temporal.kill();
  s.faults += 1;
  s.log(`Temporal killed (deadlines firing, ${deletionDms(s)} deletion DMs so far)`);
  await sleep(DOWN_MS);
  await temporal.start();
  s.log('Temporal restarted on its database file');

  await s.settle(deadline);
  supervising = false;
  await supervisor;
  await worker.kill(); // the scenario has settled: nothing of it runs any more
  return s.report();
}

function deletionDms(s: Scenario): number {
  return s.emulator.control
    .messages()
    .filter((m) => m.recipient_id && /Deleted/.test(JSON.stringify(m.embeds))).length;
}
