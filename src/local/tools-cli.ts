/** `npm run tools -- build|status`: builds the local servers into .tools/ (skips what is built). */
import { postgresBinDir } from './postgres-env';
import { allTools, ensureTools, isBuilt } from './tools';
import { exitWith } from './exit-with';

async function main(command = 'build'): Promise<number> {
  if (command === 'build') {
    await ensureTools();
    return 0;
  }
  if (command === 'status') {
    for (const name of allTools)
      console.log(`${name.padEnd(12)} ${(await isBuilt(name)) ? 'built' : 'missing'}`);
    // Not built here but needed beside FerretDB: the system's PostgreSQL.
    const postgres = await postgresBinDir().then(
      (dir) => `found in ${dir}`,
      (error: Error) => `missing: ${error.message}`,
    );
    console.log(`${'postgresql'.padEnd(12)} ${postgres}`);
    return 0;
  }
  console.error('Usage: npm run tools -- <build|status>');
  return 2;
}

exitWith(main(process.argv[2]));
