// Discord's JSON error responses: `{ code, message, errors? }` with the HTTP status Discord uses.

export type FormErrorTree = { _errors?: { code: string; message: string }[] } & {
  [key: string]: FormErrorTree | { code: string; message: string }[] | undefined;
};

export class DiscordError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: FormErrorTree,
  ) {
    super(message);
  }

  toJSON(): { code: number; message: string; errors?: FormErrorTree } {
    const body = { message: this.message, code: this.code };
    return this.errors ? { ...body, errors: this.errors } : body;
  }
}

export const Errors = {
  unauthorized: () => new DiscordError(401, 0, '401: Unauthorized'),
  notFound: () => new DiscordError(404, 0, '404: Not Found'),
  methodNotAllowed: () => new DiscordError(405, 0, '405: Method Not Allowed'),
  unknownChannel: () => new DiscordError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => new DiscordError(404, 10004, 'Unknown Guild'),
  unknownMember: () => new DiscordError(404, 10007, 'Unknown Member'),
  unknownUser: () => new DiscordError(404, 10013, 'Unknown User'),
  // 413 with a JSON body, as Discord answers a file over the upload limit or a body over 25 MiB.
  requestEntityTooLarge: () => new DiscordError(413, 40005, 'Request entity too large'),
  openingDmsTooFast: () => new DiscordError(403, 40003, 'You are opening direct messages too fast.'),
  missingAccess: () => new DiscordError(403, 50001, 'Missing Access'),
  emptyMessage: () => new DiscordError(400, 50006, 'Cannot send an empty message'),
  cannotMessageUser: () => new DiscordError(403, 50007, 'Cannot send messages to this user'),
  nonTextChannel: () => new DiscordError(400, 50008, 'Cannot send messages in a non-text channel'),
  invalidChannelType: () => new DiscordError(400, 50024, 'Cannot execute action on this channel type'),
  missingPermissions: () => new DiscordError(403, 50013, 'Missing Permissions'),
  badRequest: () => new DiscordError(400, 0, '400: Bad Request'),
  invalidFormBody: (errors: FormErrorTree) => new DiscordError(400, 50035, 'Invalid Form Body', errors),
  invalidJson: () => new DiscordError(400, 50109, 'The request body contains invalid JSON.'),
  noMutualGuilds: () =>
    new DiscordError(403, 50278, 'Cannot send messages to this user due to having no mutual guilds'),
};

/** Builds Discord's nested `errors` tree: path segments as keys, `_errors` arrays at the leaves. */
export class FormErrors {
  private readonly tree: FormErrorTree = {};

  add(path: (string | number)[], code: string, message: string): void {
    let node = this.tree;
    for (const segment of path) {
      const key = String(segment);
      const next = (node[key] ??= {}) as FormErrorTree;
      node = next;
    }
    (node._errors ??= []).push({ code, message });
  }

  get empty(): boolean {
    return Object.keys(this.tree).length === 0;
  }

  toTree(): FormErrorTree {
    return this.tree;
  }
}
