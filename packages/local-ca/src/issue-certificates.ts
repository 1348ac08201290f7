/**
 * Making the lab's certificates: a certificate authority and one server certificate ("leaf")
 * for `localhost`, `127.0.0.1` and `::1`, both ECDSA P-256 keys made by Node's WebCrypto (`globalThis.crypto`, which @peculiar/x509 signs with).
 *
 * Node can make keys and verify certificates (`node:crypto` X509Certificate) but cannot make a
 * certificate, so the X.509 encoding is @peculiar/x509's: pure JavaScript on WebCrypto, typed,
 * maintained, no native build, no openssl binary. It needs the `reflect-metadata` polyfill
 * (its dependency injection), imported here only. This module is loaded only when a CA or a leaf
 * has to be made (local-ca.ts imports it dynamically), so a run that reuses them never pays its
 * start-up (about 0.4 s on a cold cache).
 *
 * What the certificates say (RFC 5280):
 * - CA: basic constraints "a CA, path length 0" (critical, §4.2.1.9: it signs leaves, no
 *   intermediate CA), key usage certificate and CRL signing (critical, §4.2.1.3), and name
 *   constraints (critical, §4.2.1.10) permitting only `localhost` and the loopback addresses:
 *   even someone who trusts this CA for every host (NODE_EXTRA_CA_CERTS), and whose CA key
 *   leaked, would accept nothing it signed for another name.
 * - Leaf: subject alternative names DNS localhost, IP 127.0.0.1, IP ::1 (§4.2.1.6; clients match
 *   names there, not in the CN, RFC 6125 §6.4.4), extended key usage "TLS server" (§4.2.1.12),
 *   key usage digital signature, "not a CA", and key identifiers linking it to the CA (§4.2.1.1-2).
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { GeneralName, GeneralSubtree, GeneralSubtrees, NameConstraints } from '@peculiar/asn1-x509';
import { AsnConvert } from '@peculiar/asn1-schema';

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The names the leaf is for, as they appear in its subjectAltName. */
export const LEAF_NAMES = { dns: ['localhost'], ip: ['127.0.0.1', '::1'] } as const;

/** A certificate and its private key, both PEM (the key as PKCS #8). */
export interface IssuedPair {
  certPem: string;
  keyPem: string;
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify']);
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** RFC 5280 §4.2.1.10: the CA may vouch for `localhost` (and its subdomains) and the loopback addresses only. */
function loopbackOnlyNameConstraints(): x509.Extension {
  // An iPAddress constraint is the address and its mask (§4.2.1.10); the ASN.1 schema takes CIDR.
  const permitted = new GeneralSubtrees(
    [{ dNSName: 'localhost' }, { iPAddress: '127.0.0.1/32' }, { iPAddress: '::1/128' }].map((name) => new GeneralSubtree({ base: new GeneralName(name) })),
  );
  return new x509.Extension('2.5.29.30', true, AsnConvert.serialize(new NameConstraints({ permittedSubtrees: permitted })));
}

/** A self-signed CA certificate valid from `now` for `days` days. */
export async function issueCertificateAuthority(now: Date, days: number): Promise<IssuedPair> {
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      name: `CN=mcp-auth-demo local CA (never in a trust store), O=mcp-auth-demo lab`,
      keys,
      signingAlgorithm: ECDSA_P256,
      // A minute back, so a clock a little behind still finds it valid.
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + days * DAY_MS),
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        loopbackOnlyNameConstraints(),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    },
  );
  return { certPem: certificate.toString('pem'), keyPem: await keyPem(keys.privateKey) };
}

/** A server certificate for LEAF_NAMES signed by the CA, valid from `now` for `days` days. */
export async function issueLeaf(ca: IssuedPair, now: Date, days: number): Promise<IssuedPair> {
  const caCertificate = new x509.X509Certificate(ca.certPem);
  const caKey = await crypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(ca.keyPem), ECDSA_P256, false, ['sign']);
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.create(
    {
      subject: 'CN=localhost',
      issuer: caCertificate.subjectName,
      publicKey: keys.publicKey,
      signingKey: caKey,
      signingAlgorithm: ECDSA_P256,
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + days * DAY_MS),
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
        new x509.SubjectAlternativeNameExtension(
          [...LEAF_NAMES.dns.map((value) => ({ type: 'dns' as const, value })), ...LEAF_NAMES.ip.map((value) => ({ type: 'ip' as const, value }))],
          false,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(caCertificate.publicKey),
      ],
    },
  );
  return { certPem: certificate.toString('pem'), keyPem: await keyPem(keys.privateKey) };
}
