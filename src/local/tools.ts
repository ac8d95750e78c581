/**
 * Builds the local servers from package registries only (the Temporal SDK's own
 * download of its servers cannot reach the internet here). Each tool is pinned and
 * stamped with its version; an existing build of the right version is reused.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { prepareRangePushdownBuild } from './ferretdb-pushdown';
import { projectRoot, toolsDir } from './paths';

const run = promisify(execFile);

export const TEMPORAL_CLI_VERSION = '1.5.1';
export const FERRETDB_VERSION = '1.24.2';
export const TEST_SERVER_VERSION = '1.38.0';

const ferretdbModule = path.join(projectRoot, 'tools', 'ferretdb');
/**
 * The FerretDB build's stamp: the version plus a digest of our embedding module, so
 * a change to it (such as the PostgreSQL handler) rebuilds existing checkouts by itself.
 */
export const FERRETDB_STAMP = `${FERRETDB_VERSION}+${digest(ferretdbModule, [
  'main.go',
  'go.mod',
  'go.sum',
  '_pushdown/range_pushdown.go',
  '../../src/local/ferretdb-pushdown.ts',
])}`;

function digest(dir: string, files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(readFileSync(path.join(dir, file)));
  return hash.digest('hex').slice(0, 12);
}

export interface ToolPaths {
  temporalCli: string;
  ferretdb: string;
  /** Directory whose lib/ holds the Java test server's jars. */
  testServerDir: string;
}

export const toolPaths: ToolPaths = {
  temporalCli: path.join(toolsDir, 'bin', 'temporal'),
  ferretdb: path.join(toolsDir, 'bin', 'ferretdb'),
  testServerDir: path.join(toolsDir, 'test-server'),
};

export type ToolName = 'temporal' | 'ferretdb' | 'test-server';
export const allTools: ToolName[] = ['temporal', 'ferretdb', 'test-server'];

export class MissingPrerequisiteError extends Error {}

interface Tool {
  version: string;
  /** The file whose presence (with a matching stamp) means the tool is built. */
  artifact: string;
  /** What it is and how long its build takes, for the first-run message. */
  about: string;
  /** Reads the build's output lines and says where the build is, for the progress lines. */
  progress: () => BuildProgress;
  build: (progress: BuildProgress) => Promise<void>;
}

interface BuildProgress {
  onLine(line: string): void;
  /** The build's current step, e.g. 'compiling, 412 of ~1300 packages'. */
  describe(): string;
}

/** How often a running build says where it is. */
export const PROGRESS_INTERVAL_MS = 20_000;

/**
 * Progress of `go install -v` / `go build -v`: Go prints `go: downloading <module>` for each
 * module it fetches, then (with -v) each package's import path as it is compiled, the
 * standard library's included when the build cache is empty. `approxPackages` is
 * `go list -deps` of the pinned version (the whole build with empty caches).
 */
export function goBuildProgress(approxPackages: number): BuildProgress {
  let modules = 0;
  let packages = 0;
  return {
    onLine(line) {
      if (line.startsWith('go: downloading ')) modules++;
      else if (/^[\w.~/-]+$/.test(line)) packages++;
    },
    describe() {
      if (packages > 0) return `compiling, ${packages} of ~${approxPackages} packages`;
      if (modules > 0) return `downloading modules, ${modules} so far`;
      return "nothing downloaded or compiled so far: checking Go's caches, or linking";
    },
  };
}

const silentProgress = (step: string) => (): BuildProgress => ({
  onLine: () => undefined,
  describe: () => step,
});

const tools: Record<ToolName, Tool> = {
  temporal: {
    version: TEMPORAL_CLI_VERSION,
    artifact: toolPaths.temporalCli,
    // Measured on this two-core machine: 270-550 s with empty Go caches (load-dependent), 44 s warm.
    about:
      'Temporal CLI: dev server + Web UI, with Go; usually 5-10 min with empty Go caches, under a minute with warm ones',
    progress: () => goBuildProgress(1300),
    build: async (progress) => {
      await requireCommand('go', ['version'], 'Go >= 1.25 (https://go.dev/doc/install)');
      // Later CLI tags carry a `replace` directive that `go install` refuses; 1.5.1 installs cleanly.
      await runBuild(
        'go',
        [
          'install',
          '-v',
          '-ldflags',
          `-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`,
          `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`,
        ],
        { env: { ...process.env, GOBIN: path.dirname(toolPaths.temporalCli), CGO_ENABLED: '0' } },
        progress,
      );
    },
  },
  ferretdb: {
    version: FERRETDB_STAMP,
    artifact: toolPaths.ferretdb,
    // Measured here: 135-380 s with empty Go caches (380 s under load, niced).
    about:
      'FerretDB: MongoDB on PostgreSQL, with Go; usually 2-6 min with empty Go caches, under a minute with warm ones',
    progress: () => goBuildProgress(540),
    build: async (progress) => {
      await requireCommand('go', ['version'], 'Go >= 1.25 (https://go.dev/doc/install)');
      // Our own small module embedding FerretDB (see tools/ferretdb/main.go for why), with
      // range pushdown added to its PostgreSQL backend (see ferretdb-pushdown.ts).
      const modfile = await prepareRangePushdownBuild(ferretdbModule, path.join(toolsDir, 'ferretdb-build'));
      await runBuild(
        'go',
        ['build', '-v', `-modfile=${modfile}`, '-o', toolPaths.ferretdb, '.'],
        { cwd: ferretdbModule, env: { ...process.env, CGO_ENABLED: '0' } },
        progress,
      );
    },
  },
  'test-server': {
    version: TEST_SERVER_VERSION,
    artifact: path.join(toolPaths.testServerDir, 'lib', `temporal-test-server-${TEST_SERVER_VERSION}.jar`),
    about:
      "Temporal's Java test server (time skipping), with Maven; about 15 s, longer with an empty Maven cache",
    progress: silentProgress('Maven: fetching the jars'),
    build: async (progress) => {
      await requireCommand('java', ['-version'], 'Java 17 (e.g. apt-get install openjdk-17-jdk-headless)');
      await requireCommand('mvn', ['-v'], 'Maven (e.g. apt-get install maven)');
      await runBuild(
        'mvn',
        [
          '-q',
          '-B',
          'package',
          `-Dtemporal.version=${TEST_SERVER_VERSION}`,
          `-DoutputDir=${path.join(toolPaths.testServerDir, 'lib')}`,
        ],
        { cwd: path.join(projectRoot, 'tools', 'test-server') },
        progress,
      );
    },
  },
};

/**
 * Runs a build command, handing each output line to `progress`. Rejects on failure with
 * the output's tail in `stderr` (as execFile's errors carry it).
 */
function runBuild(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv },
  progress: BuildProgress,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let partial = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output = (output + text).slice(-(64 << 10));
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) progress.onLine(line.trimEnd());
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const error = new Error(`${command} ${args.join(' ')} exited with ${signal ?? `code ${code}`}`);
      reject(Object.assign(error, { stderr: output }));
    });
  });
}

function formatElapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

async function requireCommand(command: string, args: string[], what: string): Promise<void> {
  try {
    await run(command, args);
  } catch {
    throw new MissingPrerequisiteError(
      `'${command}' is needed to build the local servers but was not found on PATH: install ${what}, ` +
        `or point TEMPORAL_ADDRESS / MONGODB_URI at servers you already run.`,
    );
  }
}

const stampFile = (name: ToolName) => path.join(toolsDir, 'stamps', `${name}.version`);

export async function isBuilt(name: ToolName): Promise<boolean> {
  const tool = tools[name];
  if (!existsSync(tool.artifact)) return false;
  const stamp = await readFile(stampFile(name), 'utf8').catch(() => '');
  return stamp.trim() === tool.version;
}

/**
 * Builds each named tool that is missing or of another version, in parallel (the
 * downloads overlap); returns how long each build took.
 */
export async function ensureTools(
  names: ToolName[] = allTools,
  log: (line: string) => void = (line) => console.error(line),
): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  const missing: ToolName[] = [];
  for (const name of names) if (!(await isBuilt(name))) missing.push(name);
  if (missing.length === 0) return timings;

  log(
    `Building the local servers into ${path.relative(projectRoot, toolsDir)}/ ` +
      `(once; again only when a pinned version changes)${missing.length > 1 ? ', side by side' : ''}:`,
  );
  for (const name of missing) log(`  ${name} ${tools[name].version}: ${tools[name].about}`);
  log(`A progress line every ${PROGRESS_INTERVAL_MS / 1000} s.`);

  const started = Date.now();
  const running = new Map<ToolName, BuildProgress>();
  const ticker = setInterval(() => {
    const steps = [...running].map(([name, progress]) => `${name}: ${progress.describe()}`);
    if (steps.length > 0) log(`  building, ${formatElapsed(Date.now() - started)}: ${steps.join('; ')}`);
  }, PROGRESS_INTERVAL_MS);
  ticker.unref();
  try {
    await Promise.all(
      missing.map(async (name) => {
        const tool = tools[name];
        const progress = tool.progress();
        running.set(name, progress);
        await mkdir(path.dirname(stampFile(name)), { recursive: true });
        try {
          await tool.build(progress);
        } catch (error) {
          if (error instanceof MissingPrerequisiteError) throw error;
          const stderr = (error as { stderr?: string }).stderr ?? '';
          throw new Error(`Building ${name} ${tool.version} failed:\n${stderr.slice(-4000)}`, {
            cause: error,
          });
        } finally {
          running.delete(name);
        }
        if (!existsSync(tool.artifact)) throw new Error(`Building ${name} produced no ${tool.artifact}`);
        await writeFile(stampFile(name), tool.version);
        timings[name] = Date.now() - started;
        log(`  built ${name} in ${formatElapsed(timings[name])}`);
      }),
    );
  } finally {
    clearInterval(ticker);
  }
  return timings;
}
