// The world seed accepted by POST /_emulator/seed (and returned by GET /_emulator/state):
// Discord-shaped snake_case JSON; ids are optional (generated when missing) but must be given
// wherever something else refers to them. Overwrite id "@everyone" means the guild's id.
import { z } from 'zod';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a snowflake (17-20 digits)');
const permissionBits = z.string().regex(/^\d+$/, 'must be a decimal permission bit string');

export const seedSchema = z.object({
  bot: z.object({
    id: snowflake.optional(),
    username: z.string().min(1),
    token: z.string().min(1).optional(),
  }),
  users: z
    .array(
      z.object({
        id: snowflake.optional(),
        username: z.string().min(1),
        global_name: z.string().nullable().optional(),
        bot: z.boolean().optional(),
        dms_closed: z.boolean().optional(),
      }),
    )
    .default([]),
  guilds: z
    .array(
      z.object({
        id: snowflake.optional(),
        name: z.string().min(1),
        owner_id: snowflake,
        roles: z
          .array(
            z.object({
              id: snowflake.optional(),
              name: z.string().min(1),
              permissions: permissionBits,
              color: z.number().int().min(0).max(0xffffff).optional(),
              position: z.number().int().optional(),
              hoist: z.boolean().optional(),
              mentionable: z.boolean().optional(),
            }),
          )
          .default([]),
        channels: z
          .array(
            z.object({
              id: snowflake.optional(),
              name: z.string().min(1),
              type: z.number().int().default(0),
              position: z.number().int().optional(),
              topic: z.string().nullable().optional(),
              permission_overwrites: z
                .array(
                  z.object({
                    id: z.union([snowflake, z.literal('@everyone')]),
                    type: z.union([z.literal(0), z.literal(1)]),
                    allow: permissionBits.default('0'),
                    deny: permissionBits.default('0'),
                  }),
                )
                .default([]),
            }),
          )
          .default([]),
        members: z
          .array(
            z.object({
              user_id: snowflake,
              nick: z.string().nullable().optional(),
              roles: z.array(snowflake).default([]),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
});

export type WorldSeed = z.input<typeof seedSchema>;
export type ParsedSeed = z.output<typeof seedSchema>;
