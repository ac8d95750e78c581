import { describe, expect, it } from 'vitest';
import { sdkLogLevel } from '../../src/temporal-logging';
import { goBuildProgress } from '../../src/local/tools';

// The shape of what @temporalio/worker's WorkflowCodeBundler logs after bundling (stats.toString()).
const webpackReport = [
  'asset workflow-bundle-8b42167ee8226646fe47.js 1.74 MiB [emitted] [immutable] (name: main)',
  'runtime modules 883 bytes 4 modules',
  'modules by path ./node_modules/@temporalio/ 200 KiB',
  '  ./node_modules/@temporalio/workflow/lib/worker-interface.js 11.4 KiB [built] [code generated]',
  'webpack 5.105.4 compiled successfully in 4409 ms',
].join('\n');

describe('Temporal SDK log levels (unit)', () => {
  it("moves webpack's bundle report to debug", () => {
    expect(sdkLogLevel({ level: 'INFO', message: webpackReport })).toBe('debug');
    expect(
      sdkLogLevel({ level: 'INFO', message: webpackReport.replace('successfully', 'with 1 warning') }),
    ).toBe('debug');
  });

  it('keeps a failed bundle (logged at ERROR) and every other message at its level', () => {
    expect(sdkLogLevel({ level: 'ERROR', message: webpackReport })).toBe('error');
    expect(sdkLogLevel({ level: 'INFO', message: 'Workflow bundle created' })).toBe('info');
    expect(sdkLogLevel({ level: 'INFO', message: 'Worker state changed' })).toBe('info');
    expect(sdkLogLevel({ level: 'WARN', message: 'Activity failed' })).toBe('warn');
    expect(sdkLogLevel({ level: 'TRACE', message: 'x' })).toBe('trace');
  });

  it("moves the Discord worker's expected 'no workflows registered' to debug", () => {
    const noWorkflows = 'No workflows registered, not polling for workflow tasks';
    expect(sdkLogLevel({ level: 'WARN', message: noWorkflows })).toBe('debug');
    const noNexus = 'No Nexus services registered, not polling for Nexus tasks';
    expect(sdkLogLevel({ level: 'INFO', message: noNexus })).toBe('debug');
  });
});

describe('progress of a Go build (unit)', () => {
  it('says nothing happened yet, then counts downloaded modules, then compiled packages', () => {
    const progress = goBuildProgress(1300);
    expect(progress.describe()).toMatch(/^nothing downloaded or compiled so far/);
    progress.onLine('go: downloading github.com/temporalio/cli v1.5.1');
    progress.onLine('go: downloading go.temporal.io/server v1.29.0');
    expect(progress.describe()).toBe('downloading modules, 2 so far');
    for (const line of [
      'internal/goarch',
      'runtime',
      'github.com/temporalio/cli/temporalcli',
      'gopkg.in/yaml.v3',
    ])
      progress.onLine(line);
    progress.onLine('# github.com/x/y');
    progress.onLine('main.go:3:2: undefined: z');
    expect(progress.describe()).toBe('compiling, 4 of ~1300 packages');
  });
});
