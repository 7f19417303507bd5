/**
 * Where each broker is and how to connect to it: addresses, TLS files, SASL mechanism,
 * user. A password is never a value here, only the name of the environment variable or
 * file that holds it (`SecretRef`), so endpoints can travel to service processes as JSON,
 * be described and logged, and never carry a secret. `secrets.ts` reads one at the
 * moment a client connects. Types only.
 */
export {};
//# sourceMappingURL=endpoints.js.map