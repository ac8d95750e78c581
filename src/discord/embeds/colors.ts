/** One colour per kind of message, so a reader tells them apart at a glance. */
export const EmbedColor = {
  warning: 0xffc107, // amber
  deletion: 0xdc3545, // red
  summary: 0x0d6efd, // blue
} as const;

export const FOOTER = 'Custom command cleanup';
