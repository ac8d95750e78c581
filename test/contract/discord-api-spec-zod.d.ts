// discord-api-spec ships its Zod (zod/mini, Zod 4) schemas as plain JavaScript without
// declarations. These are the ones the contract tests use, each typed as a schema of the
// spec's own TypeScript type of the same name, so `contract()` (spec.ts) can check at compile
// time that the schema chosen for a route is the one the spec names for that path and method.
declare module 'discord-api-spec/zod' {
  import type { ZodMiniType } from 'zod/mini';
  import type * as Spec from 'discord-api-spec';

  export const CreatePrivateChannelRequestSchema: ZodMiniType<Spec.CreatePrivateChannelRequest>;
  export const ErrorResponseSchema: ZodMiniType<Spec.ErrorResponse>;
  export const GuildChannelResponseSchema: ZodMiniType<Spec.GuildChannelResponse>;
  export const GuildMemberResponseSchema: ZodMiniType<Spec.GuildMemberResponse>;
  export const GuildRoleResponseSchema: ZodMiniType<Spec.GuildRoleResponse>;
  export const GuildWithCountsResponseSchema: ZodMiniType<Spec.GuildWithCountsResponse>;
  export const MessageCreateRequestSchema: ZodMiniType<Spec.MessageCreateRequest>;
  export const MessageResponseSchema: ZodMiniType<Spec.MessageResponse>;
  export const MyGuildResponseSchema: ZodMiniType<Spec.MyGuildResponse>;
  export const PrivateChannelResponseSchema: ZodMiniType<Spec.PrivateChannelResponse>;
  export const PrivateGroupChannelResponseSchema: ZodMiniType<Spec.PrivateGroupChannelResponse>;
  export const RatelimitedResponseSchema: ZodMiniType<Spec.RatelimitedResponse>;
  export const ThreadResponseSchema: ZodMiniType<Spec.ThreadResponse>;
  export const UserPIIResponseSchema: ZodMiniType<Spec.UserPIIResponse>;
  export const UserResponseSchema: ZodMiniType<Spec.UserResponse>;
}
