import { amsterdamDate } from '../../schema/dates.ts';
import type { AppDeps } from '../deps.ts';

/**
 * Today in the Netherlands (YYYY-MM-DD) by the app's clock: an article dated later is scheduled,
 * and no public route shows it before this date is its date.
 */
export const todayOf = (deps: Pick<AppDeps, 'now'>): string => amsterdamDate((deps.now ?? Date.now)());
