// The Discord REST API v10 emulator: public API.
export { startDiscordEmulator, type DiscordEmulator, type DiscordEmulatorOptions } from './server';
export { defaultConfig, type EmulatorConfig } from './config';
export type {
  EmulatorState as EmulatorControl,
  EmulatorAttachment,
  EmulatorMessage,
  MessageFilter,
  WorldState,
} from './emulator-state';
export type { CountersSnapshot } from './counters';
export type { FaultSpec, FaultKind, ActiveFault } from './faults';
export type { BucketConfig } from './rate-limits';
export type { WorldSeed } from './seed';
export type { World } from './world';
export {
  computeBasePermissions,
  computeChannelPermissions,
  Permission,
  ALL_PERMISSIONS,
  type PermissionSubject,
  type OverwriteLike,
  type RoleLike,
} from './permissions';
export { generateSnowflake, snowflakeAt, snowflakeTimestamp, isSnowflake } from './snowflake';
export {
  demoWorldSeed,
  DEMO_BOT_ID,
  DEMO_BOT_TOKEN,
  DEMO_CHANNELS,
  DEMO_DMS_CLOSED_USER_ID,
  DEMO_GUILD_ID,
  DEMO_GUILD_NAME,
  DEMO_MEMBERS,
  DEMO_OUTSIDER_ID,
  DEMO_OWNER_ID,
  DEMO_ROLES,
} from './demo-world';
