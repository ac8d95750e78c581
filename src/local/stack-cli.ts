/** `npm run stack -- up | down | status`: the local Temporal + FerretDB (on PostgreSQL) stack. */
import { readStackState, stackDown, stackSettingsFromEnv, stackUp } from './stack';
import { exitWith } from './exit-with';

const usage = `Usage: npm run stack -- <up|down|status>

  up      start the Temporal dev server (gRPC :7233, Web UI :8233), PostgreSQL (a free
          port) and FerretDB on it (:27017) in the background on 127.0.0.1; data in .data/
  down    stop what 'up' started
  status  say what runs

Ports: TEMPORAL_PORT, TEMPORAL_UI_PORT, MONGODB_PORT, POSTGRES_PORT. A TEMPORAL_ADDRESS or
MONGODB_URI you set is used as it is and nothing is started in its place.`;

async function main(command: string | undefined): Promise<number> {
  const settings = stackSettingsFromEnv();
  switch (command) {
    case 'up': {
      const stack = await stackUp(settings);
      console.log(
        `Temporal  ${stack.temporalAddress}${settings.temporalAddress ? ' (yours, from TEMPORAL_ADDRESS)' : ''}`,
      );
      if (stack.webUi) console.log(`Web UI    ${stack.webUi}`);
      console.log(
        `MongoDB   ${stack.mongodbUri}${settings.mongodbUri ? ' (yours, from MONGODB_URI)' : ' (FerretDB on PostgreSQL)'}`,
      );
      console.log(stack.started.length ? `Started: ${stack.started.join(', ')}` : 'Already running.');
      return 0;
    }
    case 'down': {
      const stopped = await stackDown();
      console.log(stopped.length ? `Stopped: ${stopped.join(', ')}` : 'Nothing of ours was running.');
      return 0;
    }
    case 'status': {
      const state = await readStackState();
      console.log(
        state.temporal
          ? `temporal  running, pid ${state.temporal.pid}, ${state.temporal.address}, Web UI ${state.temporal.webUi}`
          : `temporal  not running${settings.temporalAddress ? ` (TEMPORAL_ADDRESS=${settings.temporalAddress} is used)` : ''}`,
      );
      console.log(
        state.postgres
          ? `postgres  running, pid ${state.postgres.pid}, ${state.postgres.address}, data ${state.postgres.dataDir}`
          : `postgres  not running`,
      );
      console.log(
        state.ferretdb
          ? `ferretdb  running, pid ${state.ferretdb.pid}, ${state.ferretdb.address}`
          : `ferretdb  not running${settings.mongodbUri ? ' (MONGODB_URI is used)' : ''}`,
      );
      return 0;
    }
    case '-h':
    case '--help':
      console.log(usage);
      return 0;
    default:
      console.error(usage);
      return 2;
  }
}

exitWith(main(process.argv[2]));
