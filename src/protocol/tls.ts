/**
 * How SMTP runs over TLS: not at all, upgraded by STARTTLS on the plain port (RFC 3207), or
 * implicit TLS from the first byte (RFC 8314, port 465). One name for client, server and scenarios.
 */
export const TLS_MODES = ['none', 'starttls', 'implicit'] as const;
export type TlsMode = (typeof TLS_MODES)[number];
