import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ibanValid, luhnValid } from './checksums.js';
import { DETECTOR_NAMES, detectorSet, redactText, type DetectorName } from './detectors.js';

const ALL = detectorSet([...DETECTOR_NAMES]);

/** Runs every detector (as the default config does) and returns the text and what was found. */
function redact(text: string): { text: string; found: DetectorName[] } {
  const found: DetectorName[] = [];
  return { text: redactText(text, ALL, (name) => found.push(name)), found };
}

/** Each detector: [input, expected output] pairs it must redact, and inputs nothing may touch. */
const CASES: Record<DetectorName, { redacts: [string, string][]; keeps: string[] }> = {
  email: {
    redacts: [
      ['contact alice.smith+shop@example.co.uk now', 'contact [REDACTED:email] now'],
      ['<Bob@Example.COM>', '<[REDACTED:email]>'],
      ['user=j_doe@mail-server.example.org;', 'user=[REDACTED:email];'],
    ],
    keeps: ['logo@2x.png', 'chunk@1.4.0.js', '@stitch/web', 'npm i react@18.2.0', 'user@localhost', 'a @ b.com'],
  },
  credit_card: {
    redacts: [
      ['card 4111 1111 1111 1111 ok', 'card [REDACTED:credit_card] ok'],
      ['4111-1111-1111-1111', '[REDACTED:credit_card]'],
      ['mc:5500005555555559', 'mc:[REDACTED:credit_card]'],
      ['amex 378282246310005.', 'amex [REDACTED:credit_card].'],
      ['/cards/6011111111111117/charge', '/cards/[REDACTED:credit_card]/charge'],
      ['4111 1111 1111 1111 2', '[REDACTED:credit_card] 2'],
    ],
    keeps: [
      'order 4111111111111112', // 16 digits, fails Luhn
      '1700000000000000000', // epoch nanoseconds: never a card prefix
      '1732406400000',
      'amount 4111111111111.11',
      'hex a4111111111111111b',
      '41111111111111111111111', // too long: part of a longer number
      '0000000000000000',
    ],
  },
  iban: {
    redacts: [
      ['IBAN DE89 3704 0044 0532 0130 00', 'IBAN [REDACTED:iban]'],
      ['pay to GB82WEST12345698765432.', 'pay to [REDACTED:iban].'],
      ['NL91ABNA0417164300', '[REDACTED:iban]'],
    ],
    keeps: ['DE89370400440532013001', 'XX89370400440532013000', 'DE8937040044053201300', 'SKU AB12CDEF3456GHIJ78'],
  },
  phone: {
    redacts: [
      ['call +1 415 555 2671', 'call [REDACTED:phone]'],
      ['+44 20 7946 0958', '[REDACTED:phone]'],
      ['tel:+14155552671', 'tel:[REDACTED:phone]'],
      ['(415) 555-2671', '[REDACTED:phone]'],
      ['phone 415-555-2671.', 'phone [REDACTED:phone].'],
      ['020 7946 0958', '[REDACTED:phone]'],
      ['06 12 34 56 78', '[REDACTED:phone]'],
    ],
    keeps: [
      '2024-01-15',
      '2024-01-15T12:30:45+01:00',
      '01-02-2024',
      '12:30:45',
      'v1.2.3',
      '10.20.30',
      '123e4567-e89b-12d3-a456-426614174000',
      'id 1234567890',
      'order-415-555-2671',
      '+0100',
      '+12 3',
      '1.415.555.2671.5',
    ],
  },
  jwt: {
    redacts: [
      [
        'token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end',
        'token=[REDACTED:jwt] end',
      ],
      ['eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', '[REDACTED:jwt]'],
    ],
    keeps: ['eyJhbGciOiJIUzI1NiJ9', 'eyJfoo.bar', 'eyJhbGciOi.xxxxx.yyyyy', 'keyJ123.abcdef.ghijkl'],
  },
  bearer_token: {
    redacts: [
      ['Authorization: Bearer abcdef123456', 'Authorization: Bearer [REDACTED:bearer_token]'],
      ['bearer mF_9.B5f-4.1JqM', 'bearer [REDACTED:bearer_token]'],
      ['Bearer AbCdEfGhIjKlMnOpQrStUvWx', 'Bearer [REDACTED:bearer_token]'],
    ],
    keeps: ['uses Bearer authentication', 'Bearer token', 'Bearer [REDACTED]', 'bearer'],
  },
  api_key: {
    redacts: [
      ['key sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'key [REDACTED:api_key]'],
      ['sk_test_51Habcdefghij', '[REDACTED:api_key]'],
      ['aws AKIAIOSFODNN7EXAMPLE', 'aws [REDACTED:api_key]'],
      ['ghp_abcdefghijklmnopqrstuvwxyz0123456789', '[REDACTED:api_key]'],
      ['xoxb-123456789012-abcdef', '[REDACTED:api_key]'],
      ['AIzaSyA-1234567890abcdefghijklmnopqrstu', '[REDACTED:api_key]'],
      ['GET /v1?api_key=abcd1234&x=1', 'GET /v1?api_key=[REDACTED:api_key]&x=1'],
      ['{"apiKey": "abcd1234"}', '{"apiKey": "[REDACTED:api_key]"}'],
      ['API-KEY: abcd1234', 'API-KEY: [REDACTED:api_key]'],
    ],
    keeps: ['sk_live_', 'SK_LIVE_ABCDEFGHIJKLMN', 'akiaxxxxxxxxxxxxxxxxxxxx', 'task_live_items', 'AKIA1234', 'ghp_short', 'api_key=REDACTED', 'the api key is rotated', 'xoxo-hugs'],
  },
  ipv4: {
    redacts: [
      ['from 203.0.113.77 x', 'from [REDACTED:ipv4] x'],
      ['client=192.168.1.23,', 'client=[REDACTED:ipv4],'],
      ['http://8.8.8.8:53/', 'http://[REDACTED:ipv4]:53/'],
    ],
    keeps: ['127.0.0.1', '0.0.0.0', '8.8.8.0', 'version 1.2.3.4', 'Mozilla/5.0 MyApp/1.2.3.4 Chrome/120.0.0.0', 'v1.2.3.4', '1.2.3.4.5', '256.1.1.1', '1.2.3', '2024.01.15.10'],
  },
  ipv6: {
    redacts: [
      ['2001:db8::1', '[REDACTED:ipv6]'],
      ['peer [2001:db8:85a3::8a2e:370:7334]:443', 'peer [[REDACTED:ipv6]]:443'],
      ['ip 2001:db8:85a3::8a2e:370:7334.', 'ip [REDACTED:ipv6].'],
      ['::ffff:203.0.113.9', '[REDACTED:ipv6]'],
      ['fe80::1%eth0', '[REDACTED:ipv6]%eth0'],
    ],
    keeps: ['12:30:45', '::1', '::', '2001:db8:abcd::', 'aa:bb:cc:dd:ee:ff', 'std::vector', 'Cafe::Bead', 'at /app/x.js:10:5', 'a::b::c'],
  },
};

for (const name of DETECTOR_NAMES) {
  test(`${name}: true examples are redacted`, () => {
    for (const [input, expected] of CASES[name].redacts) {
      const result = redact(input);
      assert.equal(result.text, expected, input);
      assert.ok(result.found.includes(name), `${input} found by ${name} (found ${result.found.join(', ')})`);
    }
  });
  test(`${name}: false examples are kept`, () => {
    for (const input of CASES[name].keeps) assert.equal(redact(input).text, input, `${input} must not be redacted`);
  });
}

test('a detector not configured finds nothing; text without findings is returned as the same string', () => {
  const emailOnly = detectorSet(['email']);
  assert.equal(redactText('4111 1111 1111 1111 a@b.io', emailOnly, () => {}), '4111 1111 1111 1111 [REDACTED:email]');
  const text = 'GET /api/products 200 in 12 ms';
  assert.equal(redactText(text, ALL, () => assert.fail('nothing to find')), text);
});

test('several findings in one text are each replaced and counted', () => {
  const result = redact('a@b.io paid with 4111111111111111 from 203.0.113.7 and a@b.io');
  assert.equal(result.text, '[REDACTED:email] paid with [REDACTED:credit_card] from [REDACTED:ipv4] and [REDACTED:email]');
  assert.deepEqual(result.found.sort(), ['credit_card', 'email', 'email', 'ipv4']);
});

test('Luhn and IBAN mod-97 checks', () => {
  assert.ok(luhnValid('4111111111111111'));
  assert.ok(luhnValid('378282246310005'));
  assert.ok(!luhnValid('4111111111111112'));
  assert.ok(ibanValid('DE89370400440532013000'));
  assert.ok(ibanValid('GB82WEST12345698765432'));
  assert.ok(!ibanValid('GB82WEST12345698765433'));
  assert.ok(!ibanValid('DE8937040044053201300'), 'wrong length for DE');
});
