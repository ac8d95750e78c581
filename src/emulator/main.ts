// `npm run emulator`: the emulator with the demo world on DISCORD_EMULATOR_PORT (default 8787).
import { DEMO_GUILD_ID, startDiscordEmulator } from './index';

const port = Number(process.env.DISCORD_EMULATOR_PORT ?? 8787);
const host = process.env.DISCORD_EMULATOR_HOST ?? '127.0.0.1';
const emulator = await startDiscordEmulator({ port, host });

console.log(`Discord emulator (demo world) listening
  inbox page : ${emulator.url}/
  API URL    : ${emulator.apiUrl}        (DISCORD_API_URL)
  bot token  : ${emulator.token}   (fake; emulator only)
  guild id   : ${DEMO_GUILD_ID}
  control    : ${emulator.url}/_emulator/state, /messages, /counters, /faults, /reset`);

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the emulator`);
  emulator.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
