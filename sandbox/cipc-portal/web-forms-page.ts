import { escapeHtml } from './controls.js';

export interface PageShell {
  title: string;
  /** The page posts back to itself, relative to the mount prefix. */
  page: string;
  viewState: string;
  eventValidation: string;
  customerCode: string | undefined;
  body: string;
}

const STYLE = `body{font-family:Arial,sans-serif;font-size:13px;margin:0}header{background:#00563f;color:#fff;padding:8px 16px}
nav a{color:#fff;margin-right:12px}main{padding:16px}.field{margin:6px 0}.field label{display:inline-block;width:320px}
.error{color:#c00;font-weight:bold;display:block;margin:8px 0}.info{color:#00563f;display:block;margin:8px 0}
table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 8px;text-align:left}`;

/** The master page: header, menu and one server form posting back to the page, with the hidden fields. */
export function webFormsPage(shell: PageShell): string {
  const menu = shell.customerCode
    ? `<nav><span id="lblLoggedIn">Logged in as ${escapeHtml(shell.customerCode)}</span> |
<a href="Home.aspx">Home</a> <strong>Transact:</strong> <a href="AnnualReturns.aspx">File Annual Returns</a>
<a href="Reprint.aspx">Reprint Certificates</a> <a href="History.aspx">Filed Annual Returns</a>
<a href="Search.aspx">Enterprise Search</a> <a href="Logout.aspx">Logout</a></nav>`
    : '<nav><a href="Search.aspx">Enterprise Search</a> <a href="ArCalculator.aspx">AR Calculator</a> <a href="Login.aspx">Customer Login</a></nav>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8" /><title>${escapeHtml(shell.title)} - CIPC e-Services</title><style>${STYLE}</style></head>
<body><header><div>Companies and Intellectual Property Commission — e-Services</div>${menu}</header>
<main><form method="post" action="${escapeHtml(shell.page)}" id="aspnetForm">
<div class="aspNetHidden">
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="${escapeHtml(shell.viewState)}" />
</div>
<script type="text/javascript">
var theForm = document.forms['aspnetForm'];
function __doPostBack(eventTarget, eventArgument) {
  theForm.__EVENTTARGET.value = eventTarget; theForm.__EVENTARGUMENT.value = eventArgument; theForm.submit();
}
</script>
<h1>${escapeHtml(shell.title)}</h1>
${shell.body}
<div class="aspNetHidden"><input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="${escapeHtml(shell.eventValidation)}" /></div>
</form></main></body></html>`;
}
