import { describe, expect, it } from 'vitest';
import { loadBuiltinScenario } from '../../src/scenarios/load.js';
import { serverOptionsFor } from '../../src/scenarios/server.js';
import { sharedCa, withLabServer } from '../helpers/lab-server.js';
import { WireProbe } from './wire.js';

/** The provider scenarios speak with the provider's words where a student reads them. */
describe('the gmail scenario', () => {
  it('says "Must issue a STARTTLS command first" before TLS, and "Authentication Required" after it', async () => {
    const scenario = await loadBuiltinScenario('gmail');
    await withLabServer(serverOptionsFor(scenario), async (lab) => {
      const probe = await WireProbe.connect(lab.server.port);
      expect(await probe.reply(0)).toMatch(/^220 smtp\.gmail\.com ESMTP .* - gsmtp\r\n$/);
      await probe.command('EHLO probe.test');
      expect(await probe.command(`MAIL FROM:<${scenario.client.from}>`)).toMatch(
        /^530 5\.7\.0 Must issue a STARTTLS command first\. .* - gsmtp\r\n$/,
      );
      expect(await probe.command('STARTTLS')).toBe('220 2.0.0 Ready to start TLS\r\n');
      await probe.startTls({ ca: (await sharedCa()).caCert });
      await probe.command('EHLO probe.test');
      expect(await probe.command(`MAIL FROM:<${scenario.client.from}>`)).toMatch(
        /^530-5\.7\.0 Authentication Required\. .*\r\n530 5\.7\.0 {2}https:\/\/support\.google\.com\/mail\/\?p=WantAuthError .* - gsmtp\r\n$/,
      );
      probe.destroy();
    });
  });
});

describe('the qq scenario', () => {
  it('answers a MAIL FROM that is not the account with 501, after a successful AUTH', async () => {
    const scenario = await loadBuiltinScenario('qq');
    const { user, pass } = scenario.server.accounts[0]!;
    await withLabServer(serverOptionsFor(scenario), async (lab) => {
      const probe = await WireProbe.connect(lab.server.tlsPort!, { tls: { ca: (await sharedCa()).caCert } });
      expect(await probe.reply(0)).toBe('220 newxmesmtplogicsvrsza9.qq.com XMail Esmtp QQ Mail Server.\r\n');
      await probe.command('EHLO probe.test');
      const token = Buffer.from(`\0${user}\0${pass}`).toString('base64');
      expect(await probe.command(`AUTH PLAIN ${token}`)).toBe('235 Authentication successful\r\n');
      expect(await probe.command('MAIL FROM:<someone-else@qq.com>')).toBe(
        '501 mail from address must be same as authorization user\r\n',
      );
      expect(await probe.command(`MAIL FROM:<${user}>`)).toBe('250 OK.\r\n');
      probe.destroy();
    });
  });
});
