import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseUserAgent, userAgentAttributes } from './user-agent.js';

// Real User-Agent strings, as these browsers send them.
const UA = {
  chromeMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  safariIphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
  safariIpad: 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  firefoxWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0',
  samsungTablet: 'Mozilla/5.0 (Linux; Android 12; SM-T870) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/20.0 Chrome/106.0.5249.126 Safari/537.36',
  edgeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  googlebotSmartphone:
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.71 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  headlessChrome: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.28 Safari/537.36',
  samsungTv: 'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36',
  playStation: 'Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Safari/605.1.15',
  cubotPhone: 'Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
};

test('Chrome on macOS: desktop, "macOS" as semantic conventions write it', () => {
  assert.deepEqual(userAgentAttributes(parseUserAgent(UA.chromeMac)), {
    'user_agent.name': 'Chrome',
    'user_agent.version': '120.0.0.0',
    'user_agent.os.name': 'macOS',
    'user_agent.os.version': '10.15.7',
    'stitch.device.type': 'desktop',
    'device.model.name': 'Macintosh',
    'device.manufacturer': 'Apple',
  });
});

test('Safari on an iPhone: mobile, Apple iPhone', () => {
  assert.deepEqual(userAgentAttributes(parseUserAgent(UA.safariIphone)), {
    'user_agent.name': 'Mobile Safari',
    'user_agent.version': '17.2',
    'user_agent.os.name': 'iOS',
    'user_agent.os.version': '17.2',
    'stitch.device.type': 'mobile',
    'device.model.name': 'iPhone',
    'device.manufacturer': 'Apple',
  });
});

test('Safari on an iPad: tablet', () => {
  const info = parseUserAgent(UA.safariIpad);
  assert.equal(info.deviceType, 'tablet');
  assert.equal(info.deviceModel, 'iPad');
  assert.equal(info.osName, 'iOS');
});

test('Firefox on Windows: desktop, no device model', () => {
  assert.deepEqual(userAgentAttributes(parseUserAgent(UA.firefoxWindows)), {
    'user_agent.name': 'Firefox',
    'user_agent.version': '121.0',
    'user_agent.os.name': 'Windows',
    'user_agent.os.version': '10',
    'stitch.device.type': 'desktop',
  });
});

test('Samsung Internet on a Galaxy Tab: tablet, Samsung SM-T870', () => {
  const info = parseUserAgent(UA.samsungTablet);
  assert.equal(info.name, 'Samsung Internet');
  assert.equal(info.osName, 'Android');
  assert.equal(info.osVersion, '12');
  assert.equal(info.deviceType, 'tablet');
  assert.equal(info.deviceModel, 'SM-T870');
  assert.equal(info.deviceManufacturer, 'Samsung');
});

test('Edge is told apart from the Chrome it contains', () => {
  const info = parseUserAgent(UA.edgeWindows);
  assert.equal(info.name, 'Edge');
  assert.equal(info.version, '120.0.2210.91');
  assert.equal(info.deviceType, 'desktop');
});

test('crawlers are bots, even when they pose as a phone', () => {
  assert.equal(parseUserAgent(UA.googlebot).deviceType, 'bot');
  assert.equal(parseUserAgent(UA.googlebotSmartphone).deviceType, 'bot');
  assert.equal(parseUserAgent(UA.cubotPhone).deviceType, 'mobile', 'a Cubot phone is not a bot');
  assert.equal(parseUserAgent(UA.headlessChrome).deviceType, 'desktop', 'headless Chrome (tests, demo traffic) is not counted as a bot');
});

test('smart TVs and consoles keep the parser’s type', () => {
  assert.equal(parseUserAgent(UA.samsungTv).deviceType, 'smarttv');
  assert.equal(parseUserAgent(UA.playStation).deviceType, 'console');
});

test('an unknown string is a desktop with nothing else known', () => {
  assert.deepEqual(userAgentAttributes(parseUserAgent('curl/8.5.0')), { 'stitch.device.type': 'desktop' });
  assert.deepEqual(userAgentAttributes(parseUserAgent('')), { 'stitch.device.type': 'desktop' });
});

test('answers are memoised and frozen: the same string gives the same object', () => {
  const first = parseUserAgent(UA.chromeMac);
  assert.equal(parseUserAgent(UA.chromeMac), first);
  assert.ok(Object.isFrozen(first));
  const long = `${UA.chromeMac} ${'x'.repeat(10_000)}`;
  assert.equal(parseUserAgent(long).name, 'Chrome', 'a huge User-Agent is cut, not refused');
});
