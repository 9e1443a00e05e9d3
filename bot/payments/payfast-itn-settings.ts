import { lookup } from 'node:dns/promises';
import type { Config } from '../../config/load-config.js';
import type { PayfastItnDeps } from './process-payfast-itn.js';

const LOOPBACK = ['127.0.0.1', '::1'];

/** Every address a host name has (A and AAAA), for the PayFast source check. */
export async function resolveHost(host: string): Promise<string[]> {
  return (await lookup(host, { all: true })).map((entry) => entry.address);
}

/**
 * How ITNs are checked under this configuration. In sandbox mode the PayFast stand-in posts from this very
 * machine, so loopback joins the allowlist; live mode trusts exactly PAYFAST_SOURCE_ALLOWLIST.
 */
export function payfastItnSettings(
  config: Pick<Config, 'payfast'>,
): Pick<PayfastItnDeps, 'payfast' | 'resolveHost'> {
  const { url, merchantId, passphrase, sourceAllowlist, mode } = config.payfast;
  return {
    payfast: {
      url,
      merchantId,
      passphrase,
      sourceAllowlist: mode === 'sandbox' ? [...sourceAllowlist, ...LOOPBACK] : sourceAllowlist,
    },
    resolveHost,
  };
}
