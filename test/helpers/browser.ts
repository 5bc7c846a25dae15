import puppeteer, { type Browser } from 'puppeteer-core';

/** Debian's chromium, or the one CHROMIUM_PATH names: puppeteer-core downloads no browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless chromium as every browser test drives it: one per file, closed in its afterAll. */
export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
}
