import type { IsoDate } from './iso-date.js';

/**
 * Public holidays declared by the President under s2A of the Public Holidays Act that `date-holidays`
 * (3.37) does not list. It already has the Sunday-to-Monday moves, 2023-12-15 (Rugby World Cup) and the
 * 2024-05-29 election day. Add new election or special days here when they are gazetted.
 */
export const DECLARED_HOLIDAYS: ReadonlySet<IsoDate> = new Set([
  '2009-04-22', // national and provincial elections
  '2011-05-18', // local government elections
  '2014-05-07', // national and provincial elections
  '2016-08-03', // local government elections
  '2016-12-27', // Christmas on a Sunday, the Monday already Day of Goodwill
  '2019-05-08', // national and provincial elections
  '2021-11-01', // local government elections
  '2022-12-27', // Christmas on a Sunday, the Monday already Day of Goodwill
]);
