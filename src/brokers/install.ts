import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BenchError } from '../contract/errors.js';
import { run, secondsSince } from './process.js';
import { REPO_ROOT } from '../repo-root.js';
import type { LogFn } from './types.js';

/** The Maven project that fetches Kafka's jars. */
const KAFKA_POM = path.join(REPO_ROOT, 'src/brokers/kafka/pom.xml');

/** Installs what the brokers need: Debian packages with apt-get, the Kafka jars with Maven. */

/** True when a Debian package is installed. */
export async function debInstalled(pkg: string): Promise<boolean> {
  const out = await run('dpkg-query', ['-W', '-f=${Status}', pkg], 10_000).catch(() => '');
  return out.includes('install ok installed');
}

let aptUpdated = false;

/** The lock file bench's own apt-get runs take turns through. */
const APT_LOCK = path.join(os.tmpdir(), 'bench-apt.lock');

/** Installs the Debian packages that are missing (apt-get; needs root). */
export async function aptInstall(pkgs: string[], what: string, log: LogFn): Promise<void> {
  const missing: string[] = [];
  for (const p of pkgs) if (!(await debInstalled(p))) missing.push(p);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new BenchError('INSTALL', `${what} needs the Debian package(s) ${missing.join(' ')}: run \`sudo apt-get install -y ${missing.join(' ')}\``);
  }
  const t0 = Date.now();
  log(`installing ${what} via apt-get (${missing.join(' ')})…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lockWait = ['-o', 'DPkg::Lock::Timeout=300'];
  // apt-get update does not wait for the lists lock: two `brokers up` at once (the plain
  // and the secure set) take turns through one lock file instead of failing
  const hasFlock = await run('sh', ['-c', 'command -v flock'], 5000).then(() => true, () => false);
  const apt = (args: string[], timeoutMs: number): Promise<string> =>
    hasFlock ? run('flock', ['-w', String(timeoutMs / 1000), APT_LOCK, 'apt-get', ...args], timeoutMs + 5000, env) : run('apt-get', args, timeoutMs, env);
  try {
    if (!aptUpdated) {
      await apt([...lockWait, 'update', '-qq'], 600_000);
      aptUpdated = true;
    }
    await apt([...lockWait, 'install', '-y', '-qq', '--no-install-recommends', ...missing], 900_000);
  } catch (err) {
    throw new BenchError('INSTALL', `installing ${missing.join(' ')} failed: ${(err as Error).message}`, { cause: err });
  }
  log(`installed ${what} via apt-get… ${secondsSince(t0)}`);
}

/** Makes sure a command exists, installing its Debian package when it does not. */
export async function ensureCommand(cmd: string, pkg: string, log: LogFn): Promise<void> {
  const found = await run('sh', ['-c', `command -v ${cmd}`], 5000).then(() => true, () => false);
  if (!found) await aptInstall([pkg], cmd, log);
}

/** Directory holding the jars of Kafka `version` (fetched from Maven Central on first use). */
export function kafkaLibDir(cacheDir: string, version: string): string {
  return path.join(cacheDir, `kafka-${version}`, 'libs');
}

/**
 * Fetches the official Kafka broker jars and their runtime dependencies into the cache
 * (`mvn dependency:copy-dependencies` on src/brokers/kafka/pom.xml; ~/.m2 is reused).
 */
/** Fetches in progress in this process, by directory: the plain and the secure Kafka may ask at once. */
const fetching = new Map<string, Promise<string>>();

export function ensureKafkaJars(cacheDir: string, version: string, log: LogFn): Promise<string> {
  const libs = kafkaLibDir(cacheDir, version);
  let p = fetching.get(libs);
  if (!p) {
    p = fetchKafkaJars(libs, version, log).finally(() => fetching.delete(libs));
    fetching.set(libs, p);
  }
  return p;
}

async function fetchKafkaJars(libs: string, version: string, log: LogFn): Promise<string> {
  const marker = path.join(libs, '.complete');
  if (fs.existsSync(marker)) return libs;
  await ensureCommand('java', 'default-jre-headless', log);
  await ensureCommand('mvn', 'maven', log);
  const t0 = Date.now();
  log(`fetching Kafka ${version} jars from Maven Central via mvn…`);
  const tmp = `${libs}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(libs), { recursive: true });
  try {
    await run('mvn', ['-q', '-B', '-f', KAFKA_POM, `-Dkafka.version=${version}`, 'dependency:copy-dependencies',
      '-DincludeScope=runtime', `-DoutputDirectory=${tmp}`], 900_000);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new BenchError('INSTALL', `fetching the Kafka ${version} jars failed: ${(err as Error).message}`, { cause: err });
  }
  if (!fs.existsSync(path.join(tmp, `kafka_2.13-${version}.jar`))) {
    throw new BenchError('INSTALL', `mvn finished but ${tmp} has no kafka_2.13-${version}.jar`);
  }
  // another process (a second `brokers up`) finished first: keep its jars, they may be in use already
  if (fs.existsSync(marker)) {
    fs.rmSync(tmp, { recursive: true, force: true });
    return libs;
  }
  fs.writeFileSync(path.join(tmp, '.complete'), new Date().toISOString() + '\n');
  // A complete directory is never removed: a broker started by another process may be
  // reading it. Only a leftover without the marker is moved aside first.
  if (fs.existsSync(libs) && !fs.existsSync(marker)) fs.renameSync(libs, `${libs}.stale-${process.pid}`);
  try {
    fs.renameSync(tmp, libs);
  } catch (err) {
    if (!fs.existsSync(marker)) throw err;
    fs.rmSync(tmp, { recursive: true, force: true }); // the other process won the rename
  }
  fs.rmSync(`${libs}.stale-${process.pid}`, { recursive: true, force: true });
  log(`fetched Kafka ${version} jars (${fs.readdirSync(libs).length - 1} jars)… ${secondsSince(t0)}`);
  return libs;
}
