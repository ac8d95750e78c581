/** The Discord side of the product: REST gateway, error mapping, permissions, message builders. */
export type {
  AdminChannel,
  DiscordGateway,
  DiscordGatewayOptions,
  MessageFile,
  MessagePayload,
  PreflightResult,
} from './contract';
export { createDiscordGateway, type CreateDiscordGatewayOptions } from './gateway';
export { createRestClient, type RestClientOptions, DISCORD_GLOBAL_REQUESTS_PER_SECOND } from './rest-client';
export { DiscordFailureType, toActivityFailure } from './errors';
export { classifyUndeliverable, UndeliverableError } from './undeliverable';
export {
  ALL_PERMISSIONS,
  Permission,
  POST_EMBED_PERMISSIONS,
  SUMMARY_EXTRA_PERMISSIONS,
  computeChannelPermissions,
  missingPermissions,
  type ChannelPermissionInput,
} from './permissions';
export { nonceFor, MAX_NONCE_LENGTH } from './nonce';
export { chooseAdminChannel, type AdminChannelChoice, type AdminChannelInput } from './admin-channel';
export { toMessageRequest, type MessageRequest } from './message-request';
export { isPostedPayload, snowflakeBefore, DISCORD_EPOCH_MS } from './posted-message';
export * from './embeds';
