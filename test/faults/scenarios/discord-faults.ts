/**
 * Scenario 4: Discord misbehaving, through the emulator's fault modes, in two waves (the
 * warning phase, then the deletions as the grace periods end): 429 storms (route and
 * global, with Retry-After), 5xx bursts, and lost responses: the message is stored, then
 * the answer is a 500, a reset connection or a request held past discord.js's timeout.
 * The faults of a wave are shuffled together so that they meet every kind of request. A wave
 * is a storm that passes: what it has not spent after STORM_MS is withdrawn, as Discord
 * recovers, so the scenario measures recovery rather than how long a retry backoff can grow
 * when one last activity meets every remaining fault in a row.
 */
import { randomInt } from 'node:crypto';
import type { FaultSpec } from '../../../src/emulator';
import { policy, Scenario, sleep, type ScenarioReport, type Suite } from '../lib/scenario';

const CREATORS = 40;
const MESSAGES = '/channels/:id/messages';
const DM_CHANNELS = '/users/@me/channels';
const MEMBERS = '/guilds/:id/members/:id';
const STORM_MS = 30_000;

/** One wave: about 60 faulty answers of every kind, in a random order. */
function wave(): FaultSpec[] {
  const specs: FaultSpec[] = [
    ...repeat(6, { method: 'POST', path: MESSAGES, kind: 'rate-limit', retryAfter: 2 }),
    ...repeat(4, { method: 'POST', path: DM_CHANNELS, kind: 'rate-limit', retryAfter: 1, global: true }),
    ...repeat(4, { method: 'GET', path: MEMBERS, kind: 'rate-limit', retryAfter: 1 }),
    ...repeat(5, { method: 'POST', path: MESSAGES, kind: 'error', status: 502 }),
    ...repeat(3, { method: 'POST', path: MESSAGES, kind: 'error', status: 503 }),
    ...repeat(3, { method: 'GET', path: MEMBERS, kind: 'error', status: 500 }),
    ...repeat(3, { method: 'POST', path: DM_CHANNELS, kind: 'error', status: 504 }),
    // Lost responses: carried out, then the answer fails.
    ...repeat(5, { method: 'POST', path: MESSAGES, kind: 'error', status: 500, when: 'after' }),
    ...repeat(3, { method: 'POST', path: MESSAGES, kind: 'reset', when: 'after' }),
    ...repeat(1, { method: 'POST', path: MESSAGES, kind: 'hang', hangMs: 16_000, when: 'after' }),
    ...repeat(2, { method: 'POST', path: DM_CHANNELS, kind: 'reset', when: 'after' }),
  ];
  for (let i = specs.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [specs[i], specs[j]] = [specs[j]!, specs[i]!];
  }
  return specs;
}

function repeat(times: number, spec: FaultSpec): FaultSpec[] {
  // A burst: each entry fails one to three consecutive matching requests.
  return Array.from({ length: times }, () => ({ ...spec, count: randomInt(1, 4) }));
}

export async function discordFaults(suite: Suite, budgetMs: number): Promise<ScenarioReport> {
  const s = await new Scenario(suite, {
    number: 4,
    name: '429 storms, 5xx bursts and lost responses',
    creators: CREATORS,
    policy: policy(60, 90, 30),
    stuckMarginMs: 1000,
    // Ten requests a second, five creators: the warning phase lasts long enough for a wave to spread over it.
    env: { DISCORD_REQUESTS_PER_SECOND: '10' },
  }).open();
  const deadline = Date.now() + budgetMs;

  await s.seedWarnable(
    s.creators.flatMap((creatorId, i) =>
      Array.from({ length: 1 + (i % 3) }, (_, k) => s.command(creatorId, `f${i}-${k}`, 100_000)),
    ),
  );
  s.summaries = 1;
  // Every sixth creator uses all their commands during the grace period.
  const plan = new Map(s.creators.filter((_, i) => i % 6 === 0).map((c) => [c, s.warnable.get(c)!]));

  let injected = 0;
  let withdrawn = 0;
  const storm = async () => {
    for (const spec of wave()) {
      s.emulator.control.addFault(spec);
      injected += spec.count ?? 1;
    }
    await sleep(STORM_MS);
    withdrawn += s.emulator.control.faults.list().reduce((n, f) => n + f.remaining, 0);
    s.emulator.control.faults.clear();
  };
  const worker = await suite.children.startWorker('s4', s.env());
  const runKey = await s.runCleanup();
  const uses = s.useAfterWarning(plan, [1000, 20_000], deadline);
  // The first wave once the run is past its preflight (which fails the whole run, retried with
  // backoff, at each fault it meets: the faults are for the notifications).
  await s.until('the first warning DM', () => s.warningDms() > 0, deadline, 100);
  const firstWarning = Date.now();
  s.log(`run ${runKey}: first wave of faults`);
  const firstStorm = storm();
  await s.until('every warning DM', () => s.warningDms() >= CREATORS, deadline, 250);
  await firstStorm;
  // The second wave meets the deletions and their DMs.
  await sleep(Math.max(0, firstWarning + s.policy.graceMs - 2000 - Date.now()));
  s.log('second wave of faults');
  await storm();
  await uses;
  await s.settle(deadline);
  await worker.kill(); // the scenario has settled: nothing of it runs any more
  s.faults = injected - withdrawn;
  if (withdrawn > 0)
    s.notes.push(`${withdrawn} injected fault(s) never met a request before their storm passed`);
  return s.report();
}
