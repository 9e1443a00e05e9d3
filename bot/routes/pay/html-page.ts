import { escapeHtml } from '../../html/escape-html.js';

// Mobile first: the page is opened from a WhatsApp link, on a phone, often on a slow connection.
// Exported for the Content-Security-Policy, which allows exactly this inline style by its hash.
export const PAGE_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f4f6f8}
main{max-width:30rem;margin:0 auto;padding:1.25rem}
h1{font-size:1.35rem;margin:.25rem 0 1rem}
.card{background:#fff;border-radius:.75rem;padding:1rem 1.1rem;box-shadow:0 1px 3px rgba(0,0,0,.08);margin-bottom:1rem}
table{width:100%;border-collapse:collapse}
td{padding:.35rem 0;vertical-align:top}
td:last-child{text-align:right;white-space:nowrap}
tr.total td{border-top:1px solid #ddd;font-weight:700;padding-top:.6rem}
.muted{color:#5f6b76;font-size:.9rem}
a.button,button{display:block;width:100%;padding:.9rem 1rem;margin:.6rem 0;border:0;border-radius:.6rem;font-size:1.05rem;font-weight:600;text-align:center;text-decoration:none;color:#fff;background:#0b6e4f;cursor:pointer}
a.button.secondary{background:#1d4ed8}
`;

/** A complete HTML page around `body` (already escaped by the caller). */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

/** A page that only says something: what happened and what happens next. */
export function messagePage(
  title: string,
  paragraphs: string[],
  link?: { href: string; label: string },
): string {
  const text = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('');
  const action = link
    ? `<a class="button" href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a>`
    : '';
  return htmlPage(title, `<div class="card"><h1>${escapeHtml(title)}</h1>${text}${action}</div>`);
}
