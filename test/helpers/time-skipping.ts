/** A time-skipping Temporal environment on its own Java test server (usable outside vitest too). */
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { DAY_MS } from '../../src/duration';
import { customSearchAttributes } from '../../src/search-attributes';
import { freePort } from '../../src/local/processes';
import { startTimeSkippingTestServer, type StartedServer } from '../../src/local/servers';

export interface TimeSkippingEnv {
  env: TestWorkflowEnvironment;
  /** Moves the server's clock `days` ahead; every timer due meanwhile fires. */
  advance(days: number): Promise<void>;
  teardown(): Promise<void>;
}

/** Skips `days` of the time-skipping server's clock (timers due meanwhile fire on the way). */
export function advance(env: TestWorkflowEnvironment, days: number): Promise<void> {
  return env.sleep(days * DAY_MS);
}

type CreateEnvironment = (options: {
  server: { type: 'existing' };
  address: string;
  supportsTimeSkipping: boolean;
}) => Promise<TestWorkflowEnvironment>;

/**
 * A time-skipping environment on its own Java test server. We start the JVM
 * ourselves (readiness wait up to 60 s) because the SDK's launcher gives the port
 * only about 5 s, which a JVM on a busy two-core machine can miss. Connecting with
 * time skipping to a server we started needs the SDK's `create`, which TypeScript
 * marks private; the smoke test of the 30-day timer fails loudly if it ever changes.
 */
export async function createTimeSkippingEnv(): Promise<TimeSkippingEnv> {
  const port = await freePort();
  const server: StartedServer = await startTimeSkippingTestServer({
    port,
    logFile: path.join(os.tmpdir(), `temporal-test-server-${port}.log`),
  });
  try {
    const create = (TestWorkflowEnvironment as unknown as { create: CreateEnvironment }).create.bind(
      TestWorkflowEnvironment,
    );
    const env = await create({
      server: { type: 'existing' },
      address: server.address,
      supportsTimeSkipping: true,
    });
    await registerSearchAttributes(env);
    return {
      env,
      advance: (days) => advance(env, days),
      teardown: async () => {
        await env.teardown();
        await server.process.stop();
      },
    };
  } catch (error) {
    await server.process.stop();
    throw error;
  }
}

/** The project's search attributes, as the dev server gets them from its start flags. */
async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      customSearchAttributes.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
    ),
  });
}
