import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { ConfigError } from '../contract/errors.js';
import { TargetSchema } from './schema.js';
/** The targets shipped with the harness (targets/*.yaml). */
export const TARGET_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../targets');
export const TARGET_TRANSPORTS = ['kafka', 'rabbitmq', 'activemq'];
/** Keys that would hold a secret's value; a target names where a secret is instead. */
const SECRET_KEYS = new Set(['password', 'passcode', 'secret', 'keypassword', 'token', 'saslpassword']);
/** A target name (`local-secure`, from targets/) or a path to a YAML file. */
export function resolveTargetPath(nameOrPath, dir = TARGET_DIR) {
    if (/[/\\]/.test(nameOrPath) || /\.ya?ml$/.test(nameOrPath)) {
        const p = resolve(nameOrPath);
        if (!existsSync(p))
            throw new ConfigError(`--target: ${nameOrPath}: no such target file`);
        return p;
    }
    for (const ext of ['.yaml', '.yml']) {
        const p = join(dir, nameOrPath + ext);
        if (existsSync(p))
            return p;
    }
    const known = existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => basename(f).replace(/\.ya?ml$/, '')) : [];
    throw new ConfigError(`--target: unknown target "${nameOrPath}": expected ${known.length ? `one of ${known.join(', ')} or ` : ''}a path to a .yaml file`);
}
export function loadTarget(nameOrPath, env = process.env) {
    const file = resolveTargetPath(nameOrPath);
    return parseTarget(readFileSync(file, 'utf8'), file, env);
}
/** Parses and checks target text; every error is one line naming the file, line, field and what was expected. */
export function parseTarget(text, file, env = process.env) {
    const doc = parseDocument(text, { prettyErrors: false });
    const at = (path) => {
        const node = path.length ? doc.getIn(path, true) : undefined;
        const range = node?.range;
        const line = range ? lineOf(text, range[0]) : undefined;
        return `${file}${line ? `:${line}` : ''}: field "${path.map(String).join('.') || '(top level)'}"`;
    };
    if (doc.errors.length > 0) {
        const e = doc.errors[0];
        throw new ConfigError(`${file}:${lineOf(text, e.pos[0])}: not valid YAML: ${e.message.split('\n')[0]}`);
    }
    const raw = doc.toJS();
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
        throw new ConfigError(`${file}: expected a mapping with at least a "name" field`);
    rejectSecrets(raw, [], at);
    const expanded = expand(raw, [], at, env);
    const parsed = TargetSchema.safeParse(expanded);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ConfigError(`${at(issue.path)}: ${describeIssue(issue)}`);
    }
    return build(parsed.data, file, at, env);
}
function rejectSecrets(value, path, at) {
    if (Array.isArray(value))
        return value.forEach((v, i) => rejectSecrets(v, [...path, i], at));
    if (value === null || typeof value !== 'object') {
        if (typeof value === 'string' && /^amqps?:\/\/[^/@]*:[^/@]*@/.test(value)) {
            throw new ConfigError(`${at(path)}: the URL holds a password; give the user as username and the password as passwordEnv: NAME (an environment variable) or passwordFile: PATH`);
        }
        return;
    }
    for (const [k, v] of Object.entries(value)) {
        if (SECRET_KEYS.has(k.toLowerCase())) {
            const env = k === 'keyPassword' ? 'keyPasswordEnv' : 'passwordEnv';
            const fileKey = k === 'keyPassword' ? 'keyPasswordFile' : 'passwordFile';
            throw new ConfigError(`${at([...path, k])}: a secret is never written in a target file; pass it as ${env}: NAME (an environment variable) or ${fileKey}: PATH (a file holding it)`);
        }
        rejectSecrets(v, [...path, k], at);
    }
}
/** Replaces `${NAME}` in every string with the environment variable's value. */
function expand(value, path, at, env) {
    if (Array.isArray(value))
        return value.map((v, i) => expand(v, [...path, i], at, env));
    if (value && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v, [...path, k], at, env)]));
    }
    if (typeof value !== 'string')
        return value;
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name) => {
        const v = env[name];
        if (v === undefined || v === '')
            throw new ConfigError(`${at(path)}: environment variable ${name} is not set`);
        return v;
    });
}
function build(t, file, at, env) {
    const dir = dirname(file);
    const abs = (p) => (isAbsolute(p) ? p : resolve(dir, p));
    const readable = (p, path) => {
        const full = abs(p);
        try {
            accessSync(full, constants.R_OK);
        }
        catch {
            throw new ConfigError(`${at(path)}: cannot read ${full}`);
        }
        return full;
    };
    const secret = (o, path, required) => {
        if (o.passwordEnv !== undefined && o.passwordFile !== undefined)
            throw new ConfigError(`${at([...path, 'passwordEnv'])}: give passwordEnv or passwordFile, not both`);
        if (o.passwordEnv !== undefined) {
            if (!env[o.passwordEnv])
                throw new ConfigError(`${at([...path, 'passwordEnv'])}: environment variable ${o.passwordEnv} is not set (for the secure local brokers: source .bench/brokers/secure.env)`);
            return { env: o.passwordEnv };
        }
        if (o.passwordFile !== undefined)
            return { file: readable(o.passwordFile, [...path, 'passwordFile']) };
        if (required)
            throw new ConfigError(`${at(path)}: a login needs its password: passwordEnv: NAME (an environment variable) or passwordFile: PATH`);
        return undefined;
    };
    const tlsOf = (v, path) => {
        if (v === undefined)
            return undefined;
        if (v === true)
            return {};
        if ((v.cert === undefined) !== (v.key === undefined))
            throw new ConfigError(`${at(path)}: a client certificate needs both cert and key`);
        if (v.keyPasswordEnv !== undefined && !env[v.keyPasswordEnv])
            throw new ConfigError(`${at([...path, 'keyPasswordEnv'])}: environment variable ${v.keyPasswordEnv} is not set`);
        const keyPassword = v.keyPasswordEnv !== undefined ? { env: v.keyPasswordEnv }
            : v.keyPasswordFile !== undefined ? { file: readable(v.keyPasswordFile, [...path, 'keyPasswordFile']) } : undefined;
        return {
            ...(v.ca !== undefined ? { ca: readable(v.ca, [...path, 'ca']) } : {}),
            ...(v.cert !== undefined ? { cert: readable(v.cert, [...path, 'cert']) } : {}),
            ...(v.key !== undefined ? { key: readable(v.key, [...path, 'key']) } : {}),
            ...(keyPassword ? { keyPassword } : {}),
            ...(v.servername !== undefined ? { servername: v.servername } : {}),
        };
    };
    const endpoints = {};
    if (t.kafka) {
        const k = t.kafka;
        const brokers = Array.isArray(k.brokers) ? k.brokers : k.brokers.split(',').map((b) => b.trim()).filter(Boolean);
        const sasl = k.security === 'SASL_PLAINTEXT' || k.security === 'SASL_SSL';
        const tls = k.security === 'SSL' || k.security === 'SASL_SSL';
        if (sasl && !k.sasl)
            throw new ConfigError(`${at(['kafka', 'security'])}: ${k.security} needs a sasl block (mechanism, username, passwordEnv or passwordFile)`);
        if (!sasl && k.sasl)
            throw new ConfigError(`${at(['kafka', 'sasl'])}: security ${k.security} does not use SASL; set security: SASL_SSL (or SASL_PLAINTEXT)`);
        if (!tls && k.tls)
            throw new ConfigError(`${at(['kafka', 'tls'])}: security ${k.security} does not use TLS; set security: SSL or SASL_SSL`);
        const e = { brokers, security: k.security };
        if (k.sasl) {
            e.sasl = {
                mechanism: k.sasl.mechanism.toLowerCase(),
                username: k.sasl.username,
                password: secret(k.sasl, ['kafka', 'sasl'], true),
            };
        }
        const files = tlsOf(k.tls ?? (tls ? true : undefined), ['kafka', 'tls']);
        if (files)
            e.tls = files;
        endpoints.kafka = e;
    }
    if (t.rabbitmq) {
        const r = t.rabbitmq;
        const tlsUrl = r.url.startsWith('amqps://');
        if (r.tls && !tlsUrl)
            throw new ConfigError(`${at(['rabbitmq', 'tls'])}: TLS files given for an amqp:// URL; use amqps://`);
        const password = secret(r, ['rabbitmq'], r.username !== undefined);
        if (password && r.username === undefined)
            throw new ConfigError(`${at(['rabbitmq'])}: a password needs its username`);
        const e = { url: r.url };
        if (r.vhost !== undefined)
            e.vhost = r.vhost;
        if (r.username !== undefined)
            e.username = r.username;
        if (password)
            e.password = password;
        if (tlsUrl)
            e.tls = tlsOf(r.tls ?? true, ['rabbitmq', 'tls']);
        if (r.managementUrl !== undefined)
            e.managementUrl = r.managementUrl;
        endpoints.rabbitmq = e;
    }
    if (t.activemq) {
        const a = t.activemq;
        const password = secret(a, ['activemq'], a.username !== undefined);
        if (password && a.username === undefined)
            throw new ConfigError(`${at(['activemq'])}: a password needs its username (the STOMP login)`);
        const e = { host: a.host, port: a.port };
        const files = tlsOf(a.tls, ['activemq', 'tls']);
        if (files)
            e.tls = files;
        if (a.username !== undefined)
            e.username = a.username;
        if (password)
            e.password = password;
        endpoints.activemq = e;
    }
    return {
        name: t.name,
        file,
        prefix: t.prefix,
        endpoints,
        provision: { kafka: t.kafka?.provision ?? true, rabbitmq: t.rabbitmq?.provision ?? true, activemq: t.activemq?.provision ?? true },
    };
}
function lineOf(text, offset) {
    let line = 1;
    for (let i = 0; i < offset && i < text.length; i++)
        if (text.charCodeAt(i) === 10)
            line++;
    return line;
}
function describeIssue(issue) {
    switch (issue.code) {
        case 'unrecognized_keys':
            return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
        case 'invalid_value':
            return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
        default:
            return issue.message.replace(/^Invalid input: /, '');
    }
}
//# sourceMappingURL=load.js.map