import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { html } from './html.js';

describe('html', () => {
  it('escapes every interpolated string, so owner-typed text never becomes markup', () => {
    const typed = `<img src=x onerror="alert(1)">&'`;
    assert.equal(
      html`<p title="${typed}">${typed}</p>`.value,
      '<p title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;</p>',
    );
  });
  it('keeps nested html as markup, joins arrays, and renders nothing for null, undefined and false', () => {
    const items = ['a<b', 'c'].map((t) => html`<li>${t}</li>`);
    assert.equal(
      html`<ul>${items}</ul>${null}${undefined}${false}${0}`.value,
      '<ul><li>a&lt;b</li><li>c</li></ul>0',
    );
  });
});
