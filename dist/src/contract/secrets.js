/**
 * Reading a secret at the moment a client connects, and naming one without showing it.
 * Adapters may import only src/contract and their client library; this needs nothing
 * but Node itself.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';
/** How a secret is passed, for messages: `$KAFKA_PASSWORD` or `file /run/secrets/kafka`. Never the value. */
export function secretSource(ref) {
    return 'env' in ref ? `$${ref.env}` : `file ${ref.file}`;
}
/** The secret's value; a missing variable or unreadable file is a ConfigError naming it (never the value). */
export function readSecret(ref, env = process.env) {
    if ('env' in ref) {
        const v = env[ref.env];
        if (v === undefined || v === '')
            throw new ConfigError(`environment variable ${ref.env} is not set (it should hold a password)`);
        return v;
    }
    let text;
    try {
        text = readFileSync(ref.file, 'utf8');
    }
    catch (err) {
        throw new ConfigError(`cannot read the password file ${ref.file}: ${err.code ?? String(err)}`);
    }
    const v = text.replace(/\r?\n$/, '');
    if (v === '')
        throw new ConfigError(`the password file ${ref.file} is empty`);
    return v;
}
function readPem(file, what) {
    try {
        return readFileSync(file);
    }
    catch (err) {
        throw new ConfigError(`cannot read the ${what} file ${file}: ${err.code ?? String(err)}`);
    }
}
/** Options for `tls.connect` from TLS files: always verifying the server's certificate. */
export function tlsConnectOptions(t) {
    return {
        rejectUnauthorized: true,
        ...(t?.ca ? { ca: readPem(t.ca, 'CA') } : {}),
        ...(t?.cert ? { cert: readPem(t.cert, 'client certificate') } : {}),
        ...(t?.key ? { key: readPem(t.key, 'client key') } : {}),
        ...(t?.keyPassword ? { passphrase: readSecret(t.keyPassword) } : {}),
        ...(t?.servername ? { servername: t.servername } : {}),
    };
}
/** Short text of the TLS set-up, for describe() and error lines: `TLS (CA ca.pem, client cert)`. */
export function tlsSummary(t) {
    const parts = [t?.ca ? `CA ${t.ca}` : 'system CAs', ...(t?.cert ? ['client certificate'] : [])];
    return `TLS (${parts.join(', ')})`;
}
const TLS_VERIFY_CODES = {
    SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in a CA that is not trusted',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed and not trusted',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is signed by a CA that is not trusted',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is signed by a CA that is not trusted',
    UNABLE_TO_GET_ISSUER_CERT: 'its certificate is signed by a CA that is not trusted',
    CERT_HAS_EXPIRED: 'its certificate has expired',
    CERT_NOT_YET_VALID: 'its certificate is not valid yet',
    ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate does not name this host',
    CERT_SIGNATURE_FAILURE: 'its certificate signature does not verify',
};
/**
 * One clause for a TLS failure anywhere in an error's cause chain, or undefined when it
 * is none: an untrusted or mismatched certificate, or a port that does not speak TLS.
 */
export function tlsFailure(err) {
    for (let e = err, i = 0; e && i < 10; i++) {
        const x = e;
        const code = typeof x.code === 'string' ? x.code : undefined;
        const message = typeof x.message === 'string' ? x.message : '';
        if (code && TLS_VERIFY_CODES[code]) {
            return `TLS: the server was not trusted: ${TLS_VERIFY_CODES[code]} (${code}); name its CA in tls.ca`;
        }
        if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long|unknown protocol/i.test(message)) {
            return 'TLS handshake failed: the port does not speak TLS (a plaintext listener?)';
        }
        if (code === 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN' || code === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' || /alert certificate required|alert bad certificate/i.test(message)) {
            return 'TLS: the server refused the client certificate (or wants one: tls.cert and tls.key)';
        }
        e = x.originalError ?? x.cause;
    }
    return undefined;
}
//# sourceMappingURL=secrets.js.map