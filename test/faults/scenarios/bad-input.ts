/**
 * Scenario 5: bad input.
 *
 * Malformed command documents, as a buggy bot could write them, mixed with good ones:
 *   - documents breaking the data contract's types (wrong types, missing fields, an _id
 *     that is not an ObjectId): skipped, never warned nor deleted; a creator who has only
 *     such documents gets no DM;
 *   - documents the contract's types allow but that push every limit (content far over
 *     2000 characters, astral and zero-width and right-to-left characters, mentions and
 *     markdown): warned and deleted like any other, in DMs that Discord accepts;
 *   - documents used or edited "in the future" (a bot host's clock ahead): not idle, so
 *     never warned.
 *
 * And (5b) bad configuration values, each given to the worker and to the starter (or to
 * the one of them that reads it): each must exit with code 2 and one line naming the
 * variable, and change nothing (database, schedules, workflows, Discord).
 */
import { createHash } from 'node:crypto';
import type { ObjectId, Document } from 'mongodb';
import { COLLECTIONS } from '../../../src/db';
import { policy, Scenario, type ScenarioReport, type Suite } from '../lib/scenario';
import { DAY_MS } from '../../../src/duration';

interface BadConfig {
  variable: string;
  env: NodeJS.ProcessEnv;
  targets: ('worker' | 'starter')[];
}

/** Scenario 5a: malformed documents mixed with good ones, through a real run. */
export async function malformedDocuments(suite: Suite, budgetMs: number): Promise<ScenarioReport> {
  const s = await new Scenario(suite, {
    number: 5,
    label: '5a',
    name: 'malformed command documents among good ones',
    creators: 30,
    policy: policy(60, 90, 30),
    stuckMarginMs: 1000,
  }).open();
  const deadline = Date.now() + budgetMs;
  const idle = 100_000;
  // Creators 0-14 have two good commands each, and one malformed document each among them;
  // creators 15-29 have a single document of their own, malformed or at the limits.
  const creator = (i: number) => s.creators[i]!;
  const good = s.creators.slice(0, 15);
  const docs: Document[] = good.flatMap((c, i) => [
    s.command(c, `good-${i}-a`, idle),
    s.command(c, `good-${i}-b`, idle),
  ]);
  const at = new Date(Date.now() - idle);
  const future = new Date(Date.now() + 365 * DAY_MS);
  const broken = (creatorId: string, name: string, patch: Document, unset: string[] = []): Document => {
    const doc = s.command(creatorId, name, idle, patch);
    for (const field of unset) delete doc[field];
    return doc;
  };
  // Breaking the contract's types: never warned, never deleted.
  const typeBroken: Document[] = [
    broken(creator(0), 'num-name', { name: 12345 }),
    broken(creator(1), 'null-name', { name: null }),
    broken(creator(2), 'obj-content', { content: { text: 'hello' } }),
    broken(creator(3), 'no-content', {}, ['content']),
    broken(creator(4), 'num-creator', { creatorId: 129000005010000000 }),
    broken(creator(5), 'str-usecount', { useCount: '7' }),
    broken(creator(6), 'no-usecount', {}, ['useCount']),
    broken(creator(7), 'str-created', { createdAt: '2020-01-01T00:00:00Z' }),
    broken(creator(8), 'no-created', {}, ['createdAt']),
    broken(creator(9), 'num-lastused', { lastUsedAt: at.getTime() }),
    broken(creator(10), 'no-updated', {}, ['updatedAt']),
    broken(creator(11), 'str-cleanup', { cleanup: 'pending' }),
    // (NaN would fit here, but FerretDB on PostgreSQL cannot store it: it drops the connection.)
    broken(creator(12), 'null-usecount', { useCount: null }),
    broken(creator(13), 'array-name', { name: ['a', 'b'] }),
    broken(creator(14), 'no-creator', {}, ['creatorId']),
    // Alone: no DM at all for these creators.
    broken(creator(15), 'empty-creator-ref', { creatorId: '' }),
    broken(creator(16), 'string-id', { _id: `custom-${creator(16)}` }),
    broken(creator(17), 'bool-content', { content: true }),
  ];
  // Within the types, past every limit: warned and deleted, the DMs still valid.
  const edgy: Document[] = [
    s.command(creator(18), 'huge-content', idle, { content: 'x'.repeat(10_000) }),
    s.command(creator(19), 'astral-content', idle, { content: '🧹'.repeat(3000) }),
    s.command(creator(20), 'zero\u200bwidth\u200dname', idle, { content: 'zero\u200b width' }),
    s.command(creator(21), '\u202egnp.exe', idle, { content: '\u202e right to left' }),
    s.command(creator(22), '名前-コマンド', idle, { content: '日本語の内容'.repeat(400) }),
    s.command(creator(23), '@everyone', idle, {
      content: '@everyone @here <@&1290000000000000002> <@1> ```js\n```',
    }),
    s.command(creator(24), 'n'.repeat(300), idle, {
      content: '**bold** __under__ ~~strike~~ ||spoiler|| > quote',
    }),
    s.command(creator(25), 'UPPER Case  Spaces', idle, { content: '\u0007\u001b[31m control characters' }),
  ];
  // Used and edited "in the future": not idle, never warned.
  const fromTheFuture: Document[] = [
    s.command(creator(26), 'future-use', idle, { lastUsedAt: future, updatedAt: future }),
    s.command(creator(27), 'future-use-only', idle, { lastUsedAt: future }),
    s.command(creator(28), 'future-edit-only', idle, { updatedAt: future }),
    s.command(creator(29), 'future-all', idle, { createdAt: future, updatedAt: future, lastUsedAt: future }),
  ];
  await s.seedWarnable([...docs, ...edgy]);
  await s.insert([...typeBroken, ...fromTheFuture]);
  s.summaries = 1;
  s.log(
    `${docs.length + edgy.length} well-formed idle, ${typeBroken.length} breaking the contract, ${fromTheFuture.length} dated in the future`,
  );

  s.faults += typeBroken.length + edgy.length + fromTheFuture.length;

  const worker = await suite.children.startWorker('s5', s.env());
  const runKey = await s.runCleanup();
  s.log(`run ${runKey} started`);
  await s.settle(deadline);
  await worker.kill(); // the scenario has settled: nothing of it runs any more

  // What must still be there, untouched by the cleanup.
  const commands = s.db.collection(COLLECTIONS.commands);
  for (const doc of [...typeBroken, ...fromTheFuture]) {
    const now = await commands.findOne({ _id: doc._id as ObjectId });
    if (!now) s.failures.push(`document ${describe(doc)} was deleted`);
    else if (now.cleanup !== undefined && typeof now.cleanup === 'object')
      s.failures.push(`document ${describe(doc)} still carries a warning`);
  }
  // The run's own count, when it finished (an unfinished run is in the counts already).
  const run = s.client.workflow.getHandle(runKey);
  if ((await run.describe()).status.name === 'COMPLETED') {
    const result = (await run.result()) as { skippedInvalidDocuments?: number };
    s.notes.push(`the run counted ${String(result.skippedInvalidDocuments)} invalid document(s) skipped`);
  }
  return s.report();
}

/**
 * Scenario 5b: every bad configuration value through the worker and the starter, against
 * a scenario of its own with nothing to do: any change there comes from a process that
 * should have refused to start.
 */
export async function badConfigurations(suite: Suite): Promise<ScenarioReport> {
  const s = await new Scenario(suite, {
    number: 7,
    label: '5b',
    name: 'bad configuration values',
    creators: 1,
    policy: policy(60, 90, 30),
    stuckMarginMs: 1000,
  }).open();
  await checkConfigurations(s, badConfigs(s.world.guildId));
  return s.report();
}

function describe(doc: Document): string {
  return `${JSON.stringify(String(doc.name)).slice(0, 40)} of ${String(doc.creatorId)}`;
}

/** Every bad value, and the entry points that must refuse it. */
function badConfigs(guildId: string): BadConfig[] {
  const both: BadConfig['targets'] = ['worker', 'starter'];
  const bad = (
    variable: string,
    value: string,
    targets = both,
    extra: NodeJS.ProcessEnv = {},
  ): BadConfig => ({
    variable,
    env: { [variable]: value, ...extra },
    targets,
  });
  const overrides = (json: string) => bad('CLEANUP_GUILD_OVERRIDES', json);
  return [
    bad('CLEANUP_WARN_AFTER', 'soon'),
    bad('CLEANUP_WARN_AFTER', '-5 days'),
    bad('CLEANUP_WARN_AFTER', '0s'),
    bad('CLEANUP_WARN_AFTER', '60'),
    bad('CLEANUP_DELETE_AFTER', '30s'), // shorter than CLEANUP_WARN_AFTER (60s)
    bad('CLEANUP_DELETE_AFTER', 'ninety days'),
    bad('CLEANUP_GRACE_PERIOD', '30 dayz'),
    bad('CLEANUP_GRACE_PERIOD', '1e999 days'),
    bad('CLEANUP_DELETE_UNDELIVERABLE', 'maybe'),
    bad('CLEANUP_DELETE_UNDELIVERABLE', 'TRUE'),
    bad('CLEANUP_ADMIN_CHANNELS', ' , , '),
    bad('CLEANUP_SCHEDULE', 'every now and then'),
    bad('CLEANUP_SCHEDULE', '0 3 * *'),
    bad('CLEANUP_ARCHIVE_RETENTION', 'forever'),
    overrides('{"not json'),
    overrides('{"123":{"gracePeriod":"7 days"}}'),
    overrides(`{"${guildId}":{"gracePeriod":"a week or so"}}`),
    overrides(`{"${guildId}":{"warnAfter":"90 days","deleteAfter":"60 days"}}`),
    overrides(`{"${guildId}":{"grace":"7 days"}}`),
    overrides('[1,2]'),
    bad('DISCORD_API_URL', 'discord.com/api'),
    bad('DISCORD_REQUESTS_PER_SECOND', '0'),
    bad('DISCORD_REQUESTS_PER_SECOND', '51'),
    bad('DISCORD_REQUESTS_PER_SECOND', 'fast'),
    bad('GUILD_ID', '12345'),
    bad('GUILD_IDS', `${guildId},not-a-guild`),
    bad('MONGODB_URI', 'postgres://127.0.0.1:5432/db'),
    bad('MONGODB_DB', 'bad name!'),
    bad('MONGODB_DB', 'd'.repeat(64)),
    bad('TEMPORAL_ADDRESS', '127.0.0.1'),
    bad('TEMPORAL_ADDRESS', 'http://127.0.0.1:7233'),
    bad('LOG_LEVEL', 'verbose'),
    bad('METRICS_PORT', '70000'),
    bad('METRICS_PORT', 'http'),
    bad('WORKFLOW_BUNDLE', '/nonexistent/workflow-bundle.js'),
    // Required by one entry point only: the worker needs the token, the starter the guilds.
    bad('DISCORD_TOKEN', '', ['worker']),
    bad('GUILD_IDS', '', ['starter'], { GUILD_ID: '' }),
  ];
}

/**
 * Runs every bad value through its entry points, two at a time, between two snapshots of
 * everything a process that wrongly started could change: the scenario's database (one
 * idle command, no index yet: a worker creates its indexes first thing), the schedules of
 * its guild, the workflows on its task queue, the requests its emulator received.
 */
async function checkConfigurations(s: Scenario, configs: BadConfig[]): Promise<void> {
  await s.insert([s.command(s.creators[0]!, 'canary', 100_000)]);
  const before = await snapshot(s);
  const jobs = configs.flatMap((config) => config.targets.map((target) => ({ config, target })));
  let next = 0;
  const runJobs = async () => {
    for (let job = jobs[next++]; job; job = jobs[next++]) {
      const { config, target } = job;
      const env = s.env(config.env);
      const label = `s5b-${target}-${config.variable.toLowerCase()}`;
      const run =
        target === 'worker'
          ? await s.suite.children.workerToExit(label, env, 60_000)
          : await s.suite.children.starter(label, ['schedule'], env);
      const lines = run.output.trim().split('\n').filter(Boolean);
      const shown = `${config.variable}=${JSON.stringify(config.env[config.variable])}`;
      const printed = lines.join(' | ').slice(0, 300);
      if (run.code !== 2) s.failures.push(`${target} with ${shown} exited ${String(run.code)}: ${printed}`);
      else if (lines.length !== 1)
        s.failures.push(`${target} with ${shown} printed ${lines.length} lines: ${printed}`);
      else if (!lines[0]!.includes(config.variable))
        s.failures.push(`${target} with ${shown}: the line does not name ${config.variable}: ${lines[0]}`);
      s.faults += 1;
    }
  };
  // Two at a time: each is a Node process loading the product (1.5-2.5 s of CPU).
  await Promise.all([runJobs(), runJobs()]);
  const after = await snapshot(s);
  for (const key of Object.keys(before) as (keyof typeof before)[]) {
    if (before[key] !== after[key])
      s.failures.push(`bad configurations changed ${key}: ${before[key]} before, ${after[key]} after`);
  }
  s.notes.push(
    `${jobs.length} runs with ${configs.length} bad configuration values: each exited 2 with one line unless listed`,
  );
}

/** What a process that wrongly started could change, in a comparable form. */
async function snapshot(s: Scenario) {
  const contents: string[] = [];
  const collections = await s.db.listCollections().toArray();
  for (const { name } of collections.sort((a, b) => a.name.localeCompare(b.name))) {
    const docs = await s.db.collection(name).find({}).sort({ _id: 1 }).toArray();
    const indexes = await s.db.collection(name).indexes();
    contents.push(`${name}:${JSON.stringify(docs)}:${JSON.stringify(indexes)}`);
  }
  let schedules = 0;
  for await (const schedule of s.client.schedule.list()) {
    if (schedule.scheduleId.includes(s.world.guildId)) schedules += 1;
  }
  let workflows = 0;
  const query = `TaskQueue = "${s.taskQueue}"`;
  for await (const _ of s.client.workflow.list({ query })) workflows += 1;
  return {
    database: createHash('sha256').update(contents.join('\n')).digest('hex').slice(0, 16),
    schedules,
    workflows,
    discordRequests: s.emulator.control.counterSnapshot().requestsTotal,
  };
}
