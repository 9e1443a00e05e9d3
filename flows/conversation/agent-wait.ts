import { isBusinessDay } from '../cipc/is-business-day.js';
import { southAfricanTime } from './south-african-time.js';

/** Support hours, South African time: weekdays that are not public holidays, 8:00 to 17:00. */
const OPENS_AT_HOUR = 8;
const CLOSES_AT_HOUR = 17;

/** How long a person will take to answer a hand-over made at `at`, as the copy promises it. */
export function agentWait(at: string): 'soon' | 'nextBusinessDay' {
  const { date, hour } = southAfricanTime(at);
  return isBusinessDay(date) && hour >= OPENS_AT_HOUR && hour < CLOSES_AT_HOUR ? 'soon' : 'nextBusinessDay';
}
