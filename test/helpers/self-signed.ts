/**
 * A self-signed TLS certificate for a loopback HTTPS server, made in this process with node:crypto alone (so the tests
 * need no openssl command): a fresh P-256 key, and an X.509 v3 certificate for CN=localhost whose subjectAltName names
 * `localhost` and `127.0.0.1`, valid from an hour ago for one day, signed with ECDSA-SHA256. The DER is written by
 * hand after RFC 5280 §4.1; nothing is committed, so no private key lives in the repository.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';

/** A DER TLV: tag, definite length, contents. */
function der(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  const n = body.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.from([n]);
  else if (n < 0x100) length = Buffer.from([0x81, n]);
  else length = Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}

const sequence = (...items: Buffer[]): Buffer => der(0x30, ...items);
const set = (...items: Buffer[]): Buffer => der(0x31, ...items);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const bytes = [40 * a + b];
  for (const value of rest) {
    const groups = [value & 0x7f];
    for (let v = value >>> 7; v > 0; v >>>= 7) groups.unshift((v & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return der(0x06, Buffer.from(bytes));
}

/** UTCTime, YYMMDDHHMMSSZ (dates before 2050). */
function utcTime(date: Date): Buffer {
  const iso = date.toISOString();
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return der(0x17, Buffer.from(text, 'ascii'));
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));

/**
 * A new key and self-signed certificate, both PEM, for `localhost` and `127.0.0.1`.
 *
 * @example
 * ```ts
 * const { keyPem, certPem } = selfSignedCertificate();
 * createServer({ key: keyPem, cert: certPem }, handler); // clients pass certPem as their CA
 * ```
 */
export function selfSignedCertificate(now: Date = new Date()): { keyPem: string; certPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = sequence(set(sequence(oid('2.5.4.3'), der(0x0c, Buffer.from('localhost', 'utf8')))));
  // A positive serial in minimal DER: 16 random bytes whose first is 0x40-0x7f (top bit clear, so not negative; never
  // 0, which DER forbids before a byte below 0x80 as padding).
  const serialBytes = randomBytes(16);
  serialBytes[0] = ((serialBytes[0] as number) & 0x3f) | 0x40;
  const subjectAltName = sequence(
    oid('2.5.29.17'),
    der(0x04, sequence(der(0x82, Buffer.from('localhost', 'ascii')), der(0x87, Buffer.from([127, 0, 0, 1])))),
  );
  const basicConstraints = sequence(oid('2.5.29.19'), der(0x01, Buffer.from([0xff])), der(0x04, sequence(der(0x01, Buffer.from([0xff])))));
  const tbs = sequence(
    der(0xa0, der(0x02, Buffer.from([2]))), // version v3
    der(0x02, serialBytes),
    ECDSA_WITH_SHA256,
    name,
    sequence(utcTime(new Date(now.getTime() - 3_600_000)), utcTime(new Date(now.getTime() + 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    der(0xa3, sequence(subjectAltName, basicConstraints)),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = sequence(tbs, ECDSA_WITH_SHA256, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const base64 = certificate.toString('base64').replace(/.{1,64}/g, '$&\n');
  const certPem = `-----BEGIN CERTIFICATE-----\n${base64}-----END CERTIFICATE-----\n`;
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // Parse it back, so a malformed encoding fails here and not as a puzzling TLS error.
  const parsed = new X509Certificate(certPem);
  if (!parsed.checkPrivateKey(createPrivateKey(keyPem)) || !parsed.checkHost('localhost') || !parsed.checkIP('127.0.0.1')) {
    throw new Error('the self-signed certificate does not match its key, localhost or 127.0.0.1');
  }
  return { keyPem, certPem };
}
