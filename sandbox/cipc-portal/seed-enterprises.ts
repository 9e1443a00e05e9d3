import type { EnterpriseSeed, EnterpriseStatus } from './portal-state.js';

type Row = [
  number: string,
  name: string,
  incorporated: string,
  status: EnterpriseStatus,
  filedThrough: number | null,
  bo: 'every' | 'never' | number,
];

/**
 * The default register. The first five are the documented test entities (README.md); the rest cover every
 * enterprise type and state: up to date, on time, late, not yet due, in AR deregistration, deregistered.
 */
const ROWS: Row[] = [
  ['2019/123456/07', 'ACME TRADING (PTY) LTD', '2019-03-14', 'In Business', 2024, 'every'],
  ['2008/765432/23', 'KAROO CRAFTS CC', '2008-06-02', 'In Business', 2025, 'every'],
  ['2016/222222/07', 'NO BO DECLARED (PTY) LTD', '2016-08-01', 'In Business', 2025, 2024],
  ['2012/333333/07', 'GONE FISHING (PTY) LTD', '2012-05-20', 'Deregistered', 2017, 'never'],
  ['2017/555555/08', 'UBUNTU CARE NPC', '2017-09-11', 'AR Deregistration Process', 2023, 'every'],
  ['2015/401122/07', 'MOKOENA LOGISTICS (PTY) LTD', '2015-02-10', 'In Business', 2026, 'every'],
  ['2021/118734/07', 'FYNBOS DIGITAL (PTY) LTD', '2021-11-30', 'In Business', 2024, 'every'],
  ['2020/654321/07', 'SIPHO SPAZA SUPPLIES (PTY) LTD', '2020-11-02', 'In Business', 2025, 'every'],
  ['2023/456789/07', 'ZANELE BEAUTY STUDIO (PTY) LTD', '2023-02-28', 'In Business', 2025, 'every'],
  ['2024/135790/07', 'BLUE CRANE TECH (PTY) LTD', '2024-12-12', 'In Business', null, 'every'],
  ['2025/246801/07', 'NEW LEAF STARTUP (PTY) LTD', '2025-06-18', 'In Business', null, 'every'],
  ['2026/111222/07', 'FRESH START VENTURES (PTY) LTD', '2026-01-15', 'In Business', null, 'every'],
  ['2016/020220/07', 'LEAP DAY PROPERTIES (PTY) LTD', '2016-02-29', 'In Business', 2025, 'every'],
  ['2018/606060/07', 'MEGA TURNOVER GROUP (PTY) LTD', '2018-07-15', 'In Business', 2025, 'every'],
  ['2000/010101/07', 'JACARANDA PRINTERS (PTY) LTD', '2000-01-01', 'In Business', 2026, 'every'],
  [
    '2017/909090/07',
    'KWAZULU SUGAR TRADERS (PTY) LTD',
    '2017-05-31',
    'AR Deregistration Process',
    2022,
    2025,
  ],
  ['2009/876543/07', 'TABLE BAY TOURS (PTY) LTD', '2009-10-10', 'Deregistered', 2016, 'never'],
  ['2010/045678/06', 'HIGHVELD MINING HOLDINGS LTD', '2010-07-01', 'In Business', 2026, 'every'],
  ['2018/334455/06', 'CAPE COASTAL INVESTMENTS LTD', '2018-04-23', 'In Business', 2025, 'every'],
  ['2005/012345/21', 'NAIDOO AND PARTNERS INC', '2005-01-18', 'In Business', 2026, 'every'],
  ['2014/998877/21', 'DLAMINI ATTORNEYS INC', '2014-10-05', 'AR Deregistration Process', 2024, 'every'],
  ['1999/004321/30', 'NORTHERN WATER INFRASTRUCTURE SOC LTD', '1999-12-01', 'In Business', 2025, 'every'],
  ['2013/778899/30', 'LIMPOPO RAIL SERVICES SOC LTD', '2013-03-03', 'In Business', 2026, 'every'],
  ['2011/223344/10', 'BAOBAB HOLDINGS LIMITED', '2011-09-09', 'In Business', 2025, 'every'],
  ['2019/887766/10', 'LONDON TEA IMPORTERS LIMITED', '2019-06-17', 'In Business', 2026, 'every'],
  ['2022/100200/08', 'HOPE FOOD GARDENS NPC', '2022-05-05', 'In Business', 2026, 'every'],
  ['2015/171717/08', 'THUSONG YOUTH NPC', '2015-03-25', 'AR Deregistration Process', 2024, 'every'],
  ['2012/300400/08', 'SMALL TOWN SOCCER CLUB NPC', '2012-01-20', 'Deregistered', 2018, 'never'],
  ['1998/012345/23', 'VAAL RIVER AUTO SPARES CC', '1998-02-14', 'In Business', 2026, 'every'],
  ['2003/054321/23', 'DRAKENSBERG GUEST LODGE CC', '2003-11-08', 'In Business', 2025, 'every'],
  ['2006/112233/23', 'SOWETO SHOE REPAIRS CC', '2006-04-25', 'AR Deregistration Process', 2023, 'every'],
  ['2007/445566/23', 'PIET PLUMBING CC', '2007-08-30', 'Deregistered', 2015, 'never'],
  ['2011/050505/23', 'LAST CHANCE TRADING CC', '2011-04-29', 'In Business', 2026, 'every'],
];

function range(from: number, to: number): number[] {
  return from > to ? [] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** BO declarations began in 2023; "every year" means each calendar year since then (or incorporation). */
export function seedEnterprises(currentYear: number): EnterpriseSeed[] {
  return ROWS.map(([number, name, incorporated, status, filedThrough, bo]) => {
    const incorporatedYear = Number(incorporated.slice(0, 4));
    const boFrom = Math.max(2023, incorporatedYear);
    return {
      number,
      name,
      incorporated,
      status,
      filedYears: filedThrough === null ? [] : range(incorporatedYear + 1, filedThrough),
      boDeclarationYears: bo === 'never' ? [] : range(boFrom, bo === 'every' ? currentYear : bo),
      turnoverCents: number === '2018/606060/07' ? 30_000_000_00 : 750_000_00,
    };
  });
}
