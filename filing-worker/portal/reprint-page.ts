import type { Page } from 'playwright';
import { checkPage } from './check-page.js';
import { type FiledReturn, readFiledReturns } from './confirmation-page.js';

/** Reprint.aspx: every annual return on record for an enterprise, with its certificate link. */
export async function findCertificates(
  page: Page,
  portalUrl: string,
  registrationNumber: string,
): Promise<FiledReturn[]> {
  await page.goto(`${portalUrl.replace(/\/$/, '')}/Reprint.aspx`);
  await checkPage(page, 'reprint', ['reprint']);
  await page.getByLabel('Enterprise number').fill(registrationNumber);
  await page.getByRole('button', { name: 'Search' }).click();
  await checkPage(page, 'reprint search', ['reprint']);
  return readFiledReturns(page, 'Annual return certificates');
}

/** Downloads one year's Abridged Certificate for Annual Returns (PDF) from the reprint results. */
export async function downloadCertificate(page: Page, year: number): Promise<Buffer> {
  // Together, so a failed click never leaves the download wait rejecting unhandled (that ends the process).
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page
      .getByRole('link', { name: `Download certificate for ${year}` })
      .first()
      .click(),
  ]);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const pdf = Buffer.concat(chunks);
  if (pdf.subarray(0, 5).toString() !== '%PDF-') throw new Error(`the certificate for ${year} is not a PDF`);
  return pdf;
}
