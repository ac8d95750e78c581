/**
 * One fault scenario: its own emulator world and guild, its own database on the suite's
 * FerretDB (or on a server of its own), its own task queues, the product's worker and
 * starter as child processes, and the ledger that turns what the emulator received and
 * what the database holds into the suite's counts.
 */
import { ALL_BUT_THE_CLEANUP } from '../../helpers/tasks';
import { randomInt } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { MongoClient, type Db, type Document } from 'mongodb';
import { createCustomCommandsApi, type CustomCommandsApi } from '../../../src/commands/api';
import { COLLECTIONS, createCommandStore, newCommandDoc } from '../../../src/db';
import {
  startDiscordEmulator,
  type DiscordEmulator,
  type DiscordEmulatorOptions,
} from '../../../src/emulator';
import type { Children } from './children';
import type { Cleanup } from './cleanup';
import { evaluate, type Expectation, type ScenarioCounts, type UseRecord } from './ledger';
import type { RestartableDatabase, RestartableTemporal } from './servers';
import { scenarioWorld, snowflakes, type ScenarioWorld } from './world';

export interface Suite {
  temporal: RestartableTemporal;
  database: RestartableDatabase;
  children: Children;
  cleanup: Cleanup;
  token: string;
  logDir: string;
  /** The workflow bundle, built once for every worker (WORKFLOW_BUNDLE): a worker starts in seconds. */
  workflowBundle: string;
}

/** Durations as the product reads them from the environment, and in milliseconds for the checks. */
export interface Policy {
  warnAfter: string;
  deleteAfter: string;
  grace: string;
  warnAfterMs: number;
  deleteAfterMs: number;
  graceMs: number;
}

export function policy(warnAfterS: number, deleteAfterS: number, graceS: number): Policy {
  return {
    warnAfter: `${warnAfterS}s`,
    deleteAfter: `${deleteAfterS}s`,
    grace: `${graceS}s`,
    warnAfterMs: warnAfterS * 1000,
    deleteAfterMs: deleteAfterS * 1000,
    graceMs: graceS * 1000,
  };
}

export interface ScenarioOptions {
  /** Picks the scenario's ids (guild, users): distinct per scenario. */
  number: number;
  /** How the report names it; the number by default. */
  label?: string;
  name: string;
  creators: number;
  policy: Policy;
  /** How long after its deadline a warning may still be there at the end (the suite's "day"). */
  stuckMarginMs: number;
  temporal?: RestartableTemporal;
  database?: RestartableDatabase;
  emulator?: Omit<DiscordEmulatorOptions, 'seed'>;
  /** Extra environment of the worker and the starter. */
  env?: NodeJS.ProcessEnv;
}

export interface ScenarioReport extends ScenarioCounts {
  label: string;
  name: string;
  faults: number;
  durationMs: number;
  /** Checks outside the counts (configuration exits, harness errors): each one fails the suite. */
  failures: string[];
  notes: string[];
}

const ACTIVITY_STATES: Record<number, string> = {
  1: 'scheduled',
  2: 'started',
  3: 'cancel-requested',
  4: 'paused',
  5: 'pause-requested',
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Scenario {
  readonly world: ScenarioWorld;
  readonly creators: string[];
  readonly temporal: RestartableTemporal;
  readonly database: RestartableDatabase;
  readonly taskQueue: string;
  emulator!: DiscordEmulator;
  mongo!: MongoClient;
  db!: Db;
  client!: Client;
  api!: CustomCommandsApi;
  faults = 0;
  /** Uses whose grace workflow could not be signalled (Temporal down): the use itself is saved. */
  signalErrors = 0;
  /** The commands the seeded data calls a warning for, by creator (the creators every DM goes to). */
  readonly warnable = new Map<string, string[]>();
  /** Runs whose summary the admin channel must get. */
  summaries = 0;
  readonly uses: UseRecord[] = [];
  /** Pids of the worker processes this scenario killed: a pending activity on one of them is stranded. */
  readonly killedPids = new Set<number>();
  readonly failures: string[] = [];
  readonly notes: string[] = [];
  private readonly started = Date.now();

  constructor(
    readonly suite: Suite,
    readonly options: ScenarioOptions,
  ) {
    this.creators = snowflakes(options.number, 1, options.creators);
    this.world = scenarioWorld(options.number, suite.token, this.creators);
    this.temporal = options.temporal ?? suite.temporal;
    this.database = options.database ?? suite.database;
    this.taskQueue = `faults-s${options.number}-${Date.now().toString(36)}`;
  }

  get policy(): Policy {
    return this.options.policy;
  }

  log(message: string): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1).padStart(6);
    console.error(`[faults] S${this.options.label ?? this.options.number} ${seconds} s  ${message}`);
  }

  async open(): Promise<this> {
    this.emulator = await startDiscordEmulator({ ...this.options.emulator, seed: this.world.seed });
    this.suite.cleanup.add(
      `emulator S${this.options.number}`,
      () => this.emulator.close(),
      () => undefined,
    );
    // Patient: scenario 3 takes the database away for a minute under this client too.
    this.mongo = new MongoClient(this.database.uri, { serverSelectionTimeoutMS: 90_000 });
    await this.mongo.connect();
    this.db = this.mongo.db(`faults_s${this.options.number}_${Date.now().toString(36)}`);
    this.client = new Client({ connection: await Connection.connect({ address: this.temporal.address }) });
    this.suite.cleanup.add(
      `clients S${this.options.number}`,
      async () => {
        await this.db.dropDatabase().catch(() => undefined);
        await this.mongo.close(true);
        await this.client.connection.close();
      },
      () => undefined,
    );
    // The bot-side API, as the bot process calls it when a member uses a command.
    this.api = createCustomCommandsApi({
      store: createCommandStore(this.db),
      temporal: this.client,
      onSignalError: () => (this.signalErrors += 1),
    });
    return this;
  }

  /** The worker's and the starter's environment: everything explicit, nothing inherited by chance. */
  env(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      TEMPORAL_ADDRESS: this.temporal.address,
      MONGODB_URI: this.database.uri,
      MONGODB_DB: this.db.databaseName,
      DISCORD_TOKEN: this.suite.token,
      DISCORD_API_URL: this.emulator.apiUrl,
      GUILD_IDS: this.world.guildId,
      TASK_QUEUE: this.taskQueue,
      DISCORD_TASK_QUEUE: `${this.taskQueue}-discord`,
      CLEANUP_WARN_AFTER: this.policy.warnAfter,
      CLEANUP_DELETE_AFTER: this.policy.deleteAfter,
      CLEANUP_GRACE_PERIOD: this.policy.grace,
      CLEANUP_ADMIN_CHANNELS: 'admin',
      // Never due while the suite runs: runs come from `trigger` or `run` only.
      CLEANUP_SCHEDULE: '0 0 1 1 *',
      // The cleanup's invariants alone: no other task posts in the admin channel meanwhile.
      TASKS_DISABLED: ALL_BUT_THE_CLEANUP,
      LOG_LEVEL: 'info',
      WORKFLOW_BUNDLE: this.suite.workflowBundle,
      ...this.options.env,
      ...overrides,
    };
  }

  /** A well-formed command idle for `idleMs`. */
  command(creatorId: string, name: string, idleMs: number, extra: Document = {}): Document {
    const at = new Date(Date.now() - idleMs);
    const doc = newCommandDoc({
      guildId: this.world.guildId,
      name,
      content: `Content of ${name}`,
      creatorId,
      at,
      useCount: 3,
    });
    return { ...doc, ...extra };
  }

  async insert(docs: Document[]): Promise<void> {
    for (let i = 0; i < docs.length; i += 500) {
      await this.db.collection(COLLECTIONS.commands).insertMany(docs.slice(i, i + 500));
    }
  }

  /** Inserts well-formed idle commands and registers them as due a warning (and a deletion unless used). */
  async seedWarnable(docs: Document[]): Promise<void> {
    for (const doc of docs) {
      const creatorId = String(doc.creatorId);
      this.warnable.set(creatorId, [...(this.warnable.get(creatorId) ?? []), String(doc.name)]);
    }
    await this.insert(docs);
  }

  /**
   * What the seeded data calls for: per creator one warning DM, and one deletion DM unless
   * the suite used every one of their commands; one summary per run.
   */
  expectations(): Expectation[] {
    const used = new Set(this.uses.map((u) => u.name));
    const expected: Expectation[] = [];
    for (const [creatorId, names] of this.warnable) {
      expected.push({ recipient: creatorId, phase: 'warning' });
      if (names.some((name) => !used.has(name))) expected.push({ recipient: creatorId, phase: 'deletion' });
    }
    for (let i = 0; i < this.summaries; i++)
      expected.push({ recipient: this.world.adminChannelId, phase: 'summary' });
    return expected;
  }

  /** Uses a command through the bot-side API (which also signals its grace workflow) and remembers when. */
  async use(name: string): Promise<void> {
    const before = Date.now();
    const used = await this.api.recordUse(this.world.guildId, name);
    if (!used) throw new Error(`S${this.options.number}: command ${name} not found for a use`);
    this.uses.push({ commandId: used.id, name, at: before });
  }

  /**
   * Each planned creator uses the named commands a random `delayMs` after their warning DM
   * arrived (within the grace period): those commands must be kept. Resolves when every
   * planned use is done, or at the deadline.
   *
   * A use waits for the warning to be recorded on its command, as a use in the grace period
   * does. Before that, it would race the recording, which FerretDB applies as read, modify,
   * write without a lock: the use can be put back (README, "The local stack"). MongoDB is
   * atomic per document, so the product does not guard against it; the suite must not rely
   * on it (a kill between the DM and the recording delays the latter by tens of seconds).
   */
  async useAfterWarning(
    plan: Map<string, string[]>,
    delayMs: [number, number],
    deadline: number,
  ): Promise<void> {
    const pending = new Map(plan);
    const uses: Promise<void>[] = [];
    while (pending.size > 0 && Date.now() < deadline) {
      for (const m of this.emulator.control.messages()) {
        const names = m.recipient_id ? pending.get(m.recipient_id) : undefined;
        if (!names || !/Warning/.test(titleOf(m.embeds))) continue;
        pending.delete(m.recipient_id!);
        const warnedAt = Date.parse(m.timestamp);
        uses.push(
          sleep(randomInt(delayMs[0], delayMs[1])).then(async () => {
            const latest = warnedAt + this.policy.graceMs - 3000;
            for (const name of names) {
              while (Date.now() < latest && !(await this.warned(name).catch(() => false))) await sleep(250);
              await this.useBefore(name, latest);
            }
          }),
        );
      }
      await sleep(250);
    }
    await Promise.all(uses);
  }

  /** Whether the command carries a recorded warning (false while the database is down). */
  private async warned(name: string): Promise<boolean> {
    const doc = await this.db
      .collection(COLLECTIONS.commands)
      .findOne({ guildId: this.world.guildId, name }, { projection: { cleanup: 1 } });
    return doc?.cleanup !== undefined;
  }

  /**
   * One use, retried while the database is unreachable (the bot would retry too). On a
   * machine too busy to keep the suite's own timing, a use that would come at the deadline
   * is left out (the command is then simply due its deletion), never counted.
   */
  private async useBefore(name: string, latest: number): Promise<void> {
    for (;;) {
      if (Date.now() > latest) {
        this.notes.push(`use of ${name} left out: too close to its deadline`);
        return;
      }
      try {
        await this.use(name);
        return;
      } catch (error) {
        if (/not found/.test(String(error))) {
          // Deleted before its deadline: the premature-deletion count shows it.
          this.notes.push(`use of ${name} impossible: the command was gone before its deadline`);
          return;
        }
        await sleep(1000);
      }
    }
  }

  /** Starts a real run by hand, as an operator would (`starter run`), and returns its workflow id. */
  async runCleanup(label = 'run'): Promise<string> {
    const result = await this.suite.children.starter(
      `s${this.options.number}-${label}`,
      ['run', 'custom-command-cleanup', '--guild', this.world.guildId, '--json'],
      this.env(),
    );
    if (result.code !== 0) throw new Error(`starter run exited ${result.code}: ${result.output.trim()}`);
    const line = result.output
      .trim()
      .split('\n')
      .find((l) => l.startsWith('{'));
    return (JSON.parse(line ?? '{}') as { workflowId: string }).workflowId;
  }

  /** Workflows of this guild still running (the cleanup run and the grace periods). */
  async runningWorkflows(): Promise<number> {
    let count = 0;
    const query = `GuildId = "${this.world.guildId}" AND ExecutionStatus = "Running"`;
    for await (const _ of this.client.workflow.list({ query })) count += 1;
    return count;
  }

  /** Warning DMs stored so far (one per creator when all is well), by their embed title. */
  warningDms(): number {
    return this.emulator.control.messages().filter((m) => m.recipient_id && /Warning/.test(titleOf(m.embeds)))
      .length;
  }

  /** Polls until `done`, or gives up at `deadline` (epoch ms): false then, and the scenario reports what it saw. */
  async until(
    what: string,
    done: () => Promise<boolean> | boolean,
    deadline: number,
    intervalMs = 500,
  ): Promise<boolean> {
    let nextDiagnosis = Date.now() + 15_000;
    for (;;) {
      // FAULTS_DEBUG=1: what the guild's workflows wait on, every 15 s while waiting.
      if (process.env.FAULTS_DEBUG && Date.now() > nextDiagnosis) {
        nextDiagnosis = Date.now() + 15_000;
        for (const line of await this.diagnose().catch((e: unknown) => [String(e)])) this.log(`  ${line}`);
      }
      try {
        if (await done()) return true;
      } catch {
        // A server down on purpose: ask again.
      }
      if (Date.now() > deadline) {
        this.notes.push(`gave up waiting for ${what} at the scenario's deadline`);
        this.log(`gave up waiting for ${what}`);
        return false;
      }
      await sleep(intervalMs);
    }
  }

  /**
   * Waits for the scenario's natural end: every expected DM in the emulator, no command
   * still warned or marked, no workflow of the guild running. Then a short pause lets
   * a straggler (a duplicate, if there were one) arrive before the counting.
   */
  async settle(deadline: number): Promise<void> {
    const commands = this.db.collection(COLLECTIONS.commands);
    await this.until(
      'the end of the cleanup (DMs, deletions, workflows)',
      async () =>
        this.expectedDmsReceived() &&
        (await commands.countDocuments({
          guildId: this.world.guildId,
          $or: [{ cleanup: { $type: 'object' } }, { cleanupPending: { $type: 'object' } }],
        })) === 0 &&
        (await this.runningWorkflows()) === 0,
      deadline,
      1000,
    );
    await sleep(2000);
  }

  private expectedDmsReceived(): boolean {
    const messages = this.emulator.control.messages();
    const dms = messages.filter((m) => m.recipient_id).length;
    const posts = messages.filter((m) => !m.recipient_id).length;
    const expected = this.expectations();
    const expectedDms = expected.filter((e) => e.phase !== 'summary').length;
    return dms >= expectedDms && posts >= expected.length - expectedDms;
  }

  /**
   * What the guild's unfinished workflows wait on, for the report of a scenario that
   * did not end in time: pending activities by type and state (on a killed worker or
   * not), with one example each.
   */
  async diagnose(): Promise<string[]> {
    const lines = new Map<string, { count: number; example: string }>();
    const query = `GuildId = "${this.world.guildId}" AND ExecutionStatus = "Running"`;
    let workflows = 0;
    for await (const w of this.client.workflow.list({ query })) {
      if (++workflows > 400) break;
      const { raw } = await this.client.workflow.getHandle(w.workflowId).describe();
      for (const a of raw.pendingActivities ?? []) {
        const identity = a.lastWorkerIdentity ?? '';
        const pid = Number(identity.split('@')[0]);
        const onKilled = this.killedPids.has(pid) ? ' on a killed worker' : '';
        const started = a.lastStartedTime?.seconds
          ? new Date(Number(a.lastStartedTime.seconds) * 1000).toISOString()
          : 'never';
        const key = `${a.activityType?.name ?? '?'} ${ACTIVITY_STATES[Number(a.state)] ?? String(a.state)}${onKilled}`;
        const entry = lines.get(key) ?? {
          count: 0,
          example: `${w.workflowId}: attempt ${a.attempt ?? '?'}, started ${started}${a.lastFailure?.message ? `, last failure: ${a.lastFailure.message}` : ''}`,
        };
        entry.count += 1;
        lines.set(key, entry);
      }
    }
    return [
      `${workflows} workflow(s) of the guild still running`,
      ...[...lines].map(
        ([key, { count, example }]) => `pending activity ${key} (x${count}), e.g. ${example}`,
      ),
    ];
  }

  async report(extraFailures: string[] = []): Promise<ScenarioReport> {
    if (this.signalErrors > 0)
      this.notes.push(
        `${this.signalErrors} use(s) saved without signalling their grace workflow (Temporal unreachable)`,
      );
    if (this.notes.some((n) => n.startsWith('gave up'))) {
      this.notes.push(...(await this.diagnose().catch((e: unknown) => [`diagnosis failed: ${String(e)}`])));
    }
    const counts = await evaluate({
      db: this.db,
      client: this.client,
      guildId: this.world.guildId,
      adminChannelId: this.world.adminChannelId,
      messages: this.emulator.control.messages(),
      expectations: this.expectations(),
      uses: this.uses,
      graceMs: this.policy.graceMs,
      deleteAfterMs: this.policy.deleteAfterMs,
      stuckMarginMs: this.options.stuckMarginMs,
    });
    return {
      label: this.options.label ?? String(this.options.number),
      name: this.options.name,
      faults: this.faults,
      durationMs: Date.now() - this.started,
      ...counts,
      failures: [...this.failures, ...extraFailures],
      notes: this.notes,
    };
  }
}

export function titleOf(embeds: unknown[]): string {
  return (embeds as { title?: string }[])[0]?.title ?? '';
}
