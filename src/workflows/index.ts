/** Every workflow the worker runs (the bundle's entry point). */
export * from './backup';
export * from './custom-command-cleanup';
export * from './custom-command-grace';
export * from './database-maintenance';
export * from './health-check';
export * from './health-monitor';
export * from './user-data';
export * from './usage-analytics';
