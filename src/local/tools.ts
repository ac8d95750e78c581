/**
 * Builds the local servers from package registries only (the Temporal SDK's own
 * download of its servers cannot reach the internet here). Each tool is pinned and
 * stamped with its version; an existing build of the right version is reused.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
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
export const FERRETDB_STAMP = `${FERRETDB_VERSION}+${digest(ferretdbModule, ['main.go', 'go.mod', 'go.sum'])}`;

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
  build: (log: (line: string) => void) => Promise<void>;
}

const tools: Record<ToolName, Tool> = {
  temporal: {
    version: TEMPORAL_CLI_VERSION,
    artifact: toolPaths.temporalCli,
    build: async () => {
      await requireCommand('go', ['version'], 'Go >= 1.25 (https://go.dev/doc/install)');
      // Later CLI tags carry a `replace` directive that `go install` refuses; 1.5.1 installs cleanly.
      await run(
        'go',
        [
          'install',
          '-ldflags',
          `-X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`,
          `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`,
        ],
        {
          env: { ...process.env, GOBIN: path.dirname(toolPaths.temporalCli), CGO_ENABLED: '0' },
          maxBuffer: 64 << 20,
        },
      );
    },
  },
  ferretdb: {
    version: FERRETDB_STAMP,
    artifact: toolPaths.ferretdb,
    build: async () => {
      await requireCommand('go', ['version'], 'Go >= 1.25 (https://go.dev/doc/install)');
      // Our own small module embedding FerretDB (see tools/ferretdb/main.go for why).
      await run('go', ['build', '-o', toolPaths.ferretdb, '.'], {
        cwd: ferretdbModule,
        env: { ...process.env, CGO_ENABLED: '0' },
        maxBuffer: 64 << 20,
      });
    },
  },
  'test-server': {
    version: TEST_SERVER_VERSION,
    artifact: path.join(toolPaths.testServerDir, 'lib', `temporal-test-server-${TEST_SERVER_VERSION}.jar`),
    build: async () => {
      await requireCommand('java', ['-version'], 'Java 17 (e.g. apt-get install openjdk-17-jdk-headless)');
      await requireCommand('mvn', ['-v'], 'Maven (e.g. apt-get install maven)');
      await run(
        'mvn',
        [
          '-q',
          '-B',
          'package',
          `-Dtemporal.version=${TEST_SERVER_VERSION}`,
          `-DoutputDir=${path.join(toolPaths.testServerDir, 'lib')}`,
        ],
        { cwd: path.join(projectRoot, 'tools', 'test-server'), maxBuffer: 64 << 20 },
      );
    },
  },
};

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
  await Promise.all(
    missing.map(async (name) => {
      const tool = tools[name];
      log(
        `Building ${name} ${tool.version} into ${path.relative(projectRoot, toolsDir)}/ (first run only)...`,
      );
      const started = Date.now();
      await mkdir(path.dirname(stampFile(name)), { recursive: true });
      try {
        await tool.build(log);
      } catch (error) {
        if (error instanceof MissingPrerequisiteError) throw error;
        const stderr = (error as { stderr?: string }).stderr ?? '';
        throw new Error(`Building ${name} ${tool.version} failed:\n${stderr.slice(-4000)}`, { cause: error });
      }
      if (!existsSync(tool.artifact)) throw new Error(`Building ${name} produced no ${tool.artifact}`);
      await writeFile(stampFile(name), tool.version);
      timings[name] = Date.now() - started;
      log(`Built ${name} in ${(timings[name] / 1000).toFixed(1)} s`);
    }),
  );
  return timings;
}
