import type { Page } from 'playwright';

export interface FiledReturn {
  year: number;
  reference: string;
}

/** ArConfirmation.aspx (and the same table on Reprint.aspx): year and AR reference per filed return. */
export async function readFiledReturns(
  page: Page,
  tableName = 'Filed annual returns',
): Promise<FiledReturn[]> {
  const rows = await page.getByRole('table', { name: tableName }).locator('tr:has(td)').all();
  const filed: FiledReturn[] = [];
  for (const row of rows) {
    const cells = (await row.locator('td').allTextContents()).map((text) => text.trim());
    const reference = cells.find((text) => /^AR\d{11}$/.test(text));
    const year = Number(cells[2]);
    if (reference && Number.isInteger(year)) filed.push({ year, reference });
  }
  return filed;
}
