/** Per test file: route the Temporal SDK's logs through a WARN-level logger so test output stays readable. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({
  logger: new DefaultLogger('WARN'),
  telemetryOptions: { logging: { filter: { core: 'WARN' } } },
});
