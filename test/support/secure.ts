/**
 * The secure local brokers for tests: their endpoints from the target the repo ships
 * (targets/local-secure.yaml), with the passwords and CA path that the global set-up
 * loaded from secure.env into the environment.
 */
import type { BrokerEndpoints } from '../../src/contract/endpoints.js';
import { loadTarget } from '../../src/targets/load.js';
import { testEndpoints } from '../contract/endpoints.js';

export const SECURE_TARGET = 'targets/local-secure.yaml';

export function secureEndpoints(): BrokerEndpoints {
  return { ...testEndpoints(), ...loadTarget(SECURE_TARGET).endpoints };
}
