/**
 * The handful of ASP.NET WebForms server controls the pages use, rendered with the portal's naming:
 * `name="ctl00$cntMain$<id>"`, `id="cntMain_<id>"`, and a real `<label for>` for every input.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function controlName(id: string): string {
  return `ctl00$cntMain$${id}`;
}

export function controlId(id: string): string {
  return `cntMain_${id.replaceAll('$', '_')}`;
}

export function textBox(
  id: string,
  label: string,
  options: { value?: string; type?: 'text' | 'password'; name?: string; domId?: string } = {},
): string {
  const domId = options.domId ?? controlId(id);
  return `<div class="field"><label for="${domId}">${escapeHtml(label)}</label>
<input name="${options.name ?? controlName(id)}" type="${options.type ?? 'text'}" id="${domId}" value="${escapeHtml(options.value ?? '')}" /></div>`;
}

export function checkBox(id: string, label: string): string {
  return `<div class="field"><input id="${controlId(id)}" type="checkbox" name="${controlName(id)}" />
<label for="${controlId(id)}">${escapeHtml(label)}</label></div>`;
}

export function radioList(id: string, legend: string, items: readonly string[], selected?: string): string {
  const radios = items.map((item, i) => {
    const domId = `${controlId(id)}_${i}`;
    const checked = item === selected ? ' checked="checked"' : '';
    return `<input id="${domId}" type="radio" name="${controlName(id)}" value="${escapeHtml(item)}"${checked} /><label for="${domId}">${escapeHtml(item)}</label>`;
  });
  return `<fieldset id="${controlId(id)}"><legend>${escapeHtml(legend)}</legend>${radios.join('<br />')}</fieldset>`;
}

export function button(id: string, text: string): string {
  return `<input type="submit" name="${controlName(id)}" value="${escapeHtml(text)}" id="${controlId(id)}" />`;
}

/** The red validation/error label; role=alert so a browser test can find it by role. */
export function errorLabel(message: string | undefined): string {
  return message
    ? `<span id="cntMain_lblError" class="error" role="alert">${escapeHtml(message)}</span>`
    : '';
}

export function infoLabel(message: string | undefined): string {
  return message
    ? `<span id="cntMain_lblMessage" class="info" role="status">${escapeHtml(message)}</span>`
    : '';
}

export function rand(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}R ${whole}.${String(abs % 100).padStart(2, '0')}`;
}
