import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { aptInstall } from './install.js';
import { run, secondsSince } from './process.js';
import type { LogFn, TlsMaterial } from './types.js';

/**
 * A self-signed CA and one server certificate it signs (for 127.0.0.1 and localhost),
 * made with openssl once per state directory and reused. PEM files for the Node clients
 * and RabbitMQ; a PKCS#12 keystore for the JVM brokers (Kafka, ActiveMQ).
 */
/** Valid for ten years: a test CA that never expires under a long-lived state dir. */
const DAYS = '3650';

export function tlsMaterialPaths(dir: string): Omit<TlsMaterial, 'keystorePassword'> {
  return {
    dir,
    ca: path.join(dir, 'ca.pem'),
    serverCert: path.join(dir, 'server.pem'),
    serverKey: path.join(dir, 'server.key'),
    keystore: path.join(dir, 'server.p12'),
  };
}

export async function ensureTlsMaterial(dir: string, log: LogFn): Promise<TlsMaterial> {
  const p = tlsMaterialPaths(dir);
  const passwordFile = path.join(dir, 'keystore.password');
  if ([p.ca, p.serverCert, p.serverKey, p.keystore, passwordFile].every((f) => fs.existsSync(f))) {
    return { ...p, keystorePassword: fs.readFileSync(passwordFile, 'utf8').trim() };
  }
  await aptInstall(['openssl'], 'openssl (for the TLS certificates)', log);
  const t0 = Date.now();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caKey = path.join(dir, 'ca.key');
  const csr = path.join(dir, 'server.csr');
  const ext = path.join(dir, 'server.ext');
  const keystorePassword = randomBytes(12).toString('hex');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', p.ca, '-days', DAYS,
    '-subj', '/CN=bench local test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p.serverKey, '-out', csr, '-subj', '/CN=localhost']);
  fs.writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n');
  await run('openssl', ['x509', '-req', '-in', csr, '-CA', p.ca, '-CAkey', caKey, '-CAcreateserial', '-out', p.serverCert, '-days', DAYS, '-extfile', ext]);
  await run('openssl', ['pkcs12', '-export', '-in', p.serverCert, '-inkey', p.serverKey, '-certfile', p.ca, '-name', 'server',
    '-out', p.keystore, '-passout', `pass:${keystorePassword}`]);
  fs.writeFileSync(passwordFile, keystorePassword + '\n', { mode: 0o600 });
  for (const f of [caKey, p.serverKey, p.keystore]) fs.chmodSync(f, 0o600);
  fs.rmSync(csr, { force: true });
  log(`made a test CA and a server certificate for 127.0.0.1 in ${dir}… ${secondsSince(t0)}`);
  return { ...p, keystorePassword };
}
