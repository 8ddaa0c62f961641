/**
 * The browser tests' axe check runs only the rules that can report a serious or critical violation
 * (journeys.ts). On a page full of faults it finds exactly what every rule of axe finds at those
 * impacts, and it finds something (so the page is bad enough to tell).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';
import { graveViolations } from './journeys.js';

const BAD_PAGE = `<!doctype html><html><head><title></title></head><body>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
  <input type="text"><select><option>a</option></select>
  <button></button><a href="#x"></a>
  <p style="color:#bbb;background:#fff">faint text</p>
  <div role="button">no focus</div><div role="checkbox">no state</div>
  <span aria-hidden="true"><a href="#y">hidden link</a></span>
  <ul><div>not an item</div></ul>
  <table><tr><th id="h" headers="nowhere">x</th></tr></table>
  <div aria-labelledby="missing" role="textbox"></div>
  <meta name="viewport" content="user-scalable=no">
  <video src="x.mp4" autoplay></video><iframe src="about:blank"></iframe>
  <label for="dup">A</label><input id="dup"><input id="dup">
  <h1></h1><frame><marquee>old</marquee><blink>x</blink>
  <div role="tablist"><div role="tab">one</div><button role="tab" aria-selected="maybe">two</button></div>
</body></html>`;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

it('finds on a faulty page exactly the serious and critical violations that all of axe\'s rules find', async () => {
  const page = await browser.newPage();
  await page.setContent(BAD_PAGE);
  const ids = (vs: Awaited<ReturnType<typeof graveViolations>>) => vs.map((v) => `${v.id} ${v.impact} ${v.nodes.length}`).sort();
  const all = ids(await graveViolations(page, { allRules: true }));
  const found = await graveViolations(page);
  const fast = ids(found);
  expect(all.length).toBeGreaterThan(8);
  expect(fast).toEqual(all);
  // A clean page is checked without selectors; what is found names its nodes (the failure says where).
  expect(found.flatMap((v) => v.nodes).every((n) => n.target.length > 0 && n.target.every((t) => typeof t === 'string' && t.length > 0))).toBe(true);
});
