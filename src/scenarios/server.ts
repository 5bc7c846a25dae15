import type { LabServer, LabServerOptions } from '../server/index.js';
import type { Scenario } from './types.js';

/** The lab server options that make a scenario's server: TLS offer, AUTH, rules, faults, persona. */
export function serverOptionsFor(scenario: Scenario): LabServerOptions {
  const s = scenario.server;
  return {
    tlsPort: s.tls === 'implicit' ? 0 : false,
    auth: s.auth,
    authMechanisms: s.authMechanisms,
    accounts: s.accounts,
    requireTls: s.requireTls,
    maxSize: s.maxSize,
    persona: s.persona,
    certificate: s.certificate,
    // tls: none means no STARTTLS on offer at all.
    hideExtensions: [...s.hideExtensions, ...(s.tls === 'none' ? ['STARTTLS'] : [])],
    requireFromHeader: s.requireFromHeader,
    credentials: s.credentials,
    // tls: none answers STARTTLS 502 (command not implemented), as the scenario files say.
    starttls: s.tls !== 'none',
    ...(s.greylistMs !== undefined ? { greylistMs: s.greylistMs } : {}),
    rules: scenario.rules,
    faults: scenario.faults,
    ...(scenario.seed !== undefined ? { seed: scenario.seed } : {}),
  };
}

/** Where the client under test connects: the implicit-TLS port when the scenario is implicit TLS. */
export function clientPort(scenario: Scenario, server: LabServer): number {
  return scenario.client.tls === 'implicit' && server.tlsPort !== undefined ? server.tlsPort : server.port;
}

/**
 * What the client under test is told (ARCHITECTURE.md, "Contracts": client environment): the server,
 * TLS mode, account, CA, envelope, image; and the CA under the names that TLS libraries read, so
 * student code that verifies certificates the normal way trusts the lab CA unchanged.
 */
export function clientEnvironment(
  scenario: Scenario,
  server: LabServer,
  extra: { javaTrustStore?: string } = {},
): Record<string, string> {
  const brief = scenario.client;
  const account = scenario.server.accounts[0];
  const env: Record<string, string> = {
    SMTP_HOST: 'localhost',
    SMTP_PORT: String(clientPort(scenario, server)),
    SMTP_TLS: brief.tls,
    SMTP_CA_FILE: server.caFile,
    MAIL_FROM: brief.from,
    RCPT_TO: brief.to.join(','),
    SSL_CERT_FILE: server.caFile,
    REQUESTS_CA_BUNDLE: server.caFile,
    NODE_EXTRA_CA_CERTS: server.caFile,
    CURL_CA_BUNDLE: server.caFile,
  };
  if (brief.auth && account) {
    env.SMTP_USER = account.user;
    env.SMTP_PASS = account.pass;
  }
  if (brief.subject !== undefined) env.MAIL_SUBJECT = brief.subject;
  if (brief.body !== undefined) env.MAIL_BODY = brief.body;
  if (brief.image !== undefined) env.IMAGE_FILE = brief.image;
  if (extra.javaTrustStore) {
    env.JAVA_TOOL_OPTIONS = `-Djavax.net.ssl.trustStore=${extra.javaTrustStore} -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=changeit`;
  }
  return env;
}
