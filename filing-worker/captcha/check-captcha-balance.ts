import type { Logger } from 'pino';
import { workerMetrics } from '../metrics/worker-metrics.js';
import type { TwoCaptchaClient } from './two-captcha-client.js';

/** Below this many USD (a few thousand image captchas) someone should top the account up. */
export const LOW_CAPTCHA_BALANCE_USD = 2;

/**
 * Reads the 2Captcha balance and logs it, at warn ("2Captcha balance low") below `lowUsd`, so operations
 * top up before ERROR_ZERO_BALANCE stops every login. Run it at start and every few minutes (2Captcha asks
 * not to call getBalance more often than every 30 s). Filings do not depend on it: a failed read is a
 * warning, never thrown. Answers the balance when it could be read.
 */
export async function checkCaptchaBalance(
  captcha: Pick<TwoCaptchaClient, 'getBalance'>,
  logger: Pick<Logger, 'info' | 'warn'> | undefined,
  lowUsd = LOW_CAPTCHA_BALANCE_USD,
): Promise<number | undefined> {
  let balanceUsd: number;
  try {
    balanceUsd = await captcha.getBalance();
  } catch (err) {
    logger?.warn({ err }, 'could not read the 2Captcha balance');
    return undefined;
  }
  workerMetrics.captchaBalanceUsd.set(balanceUsd);
  if (balanceUsd < lowUsd) logger?.warn({ balanceUsd, lowUsd }, '2Captcha balance low: top it up');
  else logger?.info({ balanceUsd }, '2Captcha balance');
  return balanceUsd;
}
