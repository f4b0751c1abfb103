import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildCharts, renderHtml, renderMarkdown } from 'promolens/report';
import { sampleReport } from './sampleReport.js';

const report = await sampleReport();
const html = renderHtml(report);

describe('renderHtml', () => {
  it('is one self-contained page: no scripts, no network, the summary first', () => {
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const order = ['id="summary"', 'id="checks"', 'id="effects"', 'id="uplift"', 'id="targeting"', 'id="how-to-read"', 'id="provenance"'].map((id) => html.indexOf(id));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
    for (const e of report.summary.effects) expect(html).toContain(escape(e.sentence));
  });

  it('builds the page from the report, one figure per chart of the chart model', () => {
    const figures = html.match(/<figure class="figure" data-chart="[^"]+"/g) ?? [];
    const ids = figures.map((f) => /data-chart="([^"]+)"/.exec(f)?.[1]);
    expect(new Set(ids)).toEqual(new Set(buildCharts(report).map((c) => c.id)));
    expect(ids[0]).toBe('effects');
    expect(figures.length).toBe(buildCharts(report).length);
  });

  it('shows feature names as the user wrote them and learners in words', () => {
    expect(html).not.toMatch(/recency:std|channel=Phone/);
    expect(html).toContain('two models (T-learner)');
    expect(renderMarkdown(report)).toMatch(/^# Hillstrom sample\n\n[^\n]+\n\n## Summary/);
  });
});

// Headless Chromium at phone and desktop width: the page never scrolls sideways, every chart is drawn
// and not empty, its text is at least 11 px, and nothing is logged as an error. Screenshots go to
// out/test-artefacts/ for a person to look at.
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
if (chromium === undefined) console.warn('Skipping the browser checks of the HTML report: no Chromium here (apt-get install chromium).');

// The page is measured inside an iframe of exactly the given width (a headless window has a
// minimum width of its own); the iframe records its errors, the parent reads its layout.
const RECORD_ERRORS = `<script>
window.__errors = [];
addEventListener('error', (e) => __errors.push(String(e.message || (e.target && e.target.outerHTML) || 'error')), true);
const originalError = console.error;
console.error = (...args) => { __errors.push(args.join(' ')); originalError(...args); };
</script>`;

function probePage(page: string, width: number): string {
  const srcdoc = page.replace('<head>', `<head>${RECORD_ERRORS}`).replaceAll('&', '&amp;').replaceAll('"', '&quot;');
  return `<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe id="frame" style="width:${width}px;height:2000px;border:0" srcdoc="${srcdoc}"></iframe>
<script>
document.getElementById('frame').addEventListener('load', () => {
  const win = document.getElementById('frame').contentWindow;
  const doc = win.document;
  const charts = [...doc.querySelectorAll('figure.figure')].map((figure) => {
    const svg = figure.querySelector('svg.chart');
    const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0, right: 0 };
    const fonts = svg ? [...svg.querySelectorAll('text')].map((t) => parseFloat(win.getComputedStyle(t).fontSize)) : [];
    const marks = svg ? svg.querySelectorAll('polyline, polygon, rect, circle, line').length : 0;
    return { id: figure.dataset.chart, width: box.width, height: box.height, right: box.right, minFont: Math.min(...fonts), marks };
  });
  const out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify({ scrollWidth: doc.documentElement.scrollWidth, viewport: win.innerWidth, bodyWidth: doc.body.getBoundingClientRect().width, charts, errors: win.__errors });
  document.body.append(out);
});
</script></body></html>`;
}

describe.skipIf(chromium === undefined)('renderHtml in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'promolens-report-'));
  const artefacts = fileURLToPath(new URL('../../out/test-artefacts/', import.meta.url));
  mkdirSync(artefacts, { recursive: true });
  writeFileSync(join(dir, 'report.html'), html);
  const flags = (width: number) => ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, `profile-${width}`)}`, `--window-size=${Math.max(width, 600)},2000`];

  for (const width of [390, 1280]) {
    it(`at ${width} px: no sideways page scroll, every chart full width, drawn, with text of 11 px or more, no errors`, () => {
      writeFileSync(join(dir, `probe-${width}.html`), probePage(html, width));
      const dom = execFileSync(chromium as string, [...flags(width), '--virtual-time-budget=5000', '--dump-dom', `file://${join(dir, `probe-${width}.html`)}`], { encoding: 'utf8', timeout: 90_000, stdio: ['ignore', 'pipe', 'pipe'] });
      const match = /<pre id="probe">([^<]*)<\/pre>/.exec(dom);
      expect(match, dom.slice(0, 300)).not.toBeNull();
      const probe = JSON.parse((match?.[1] ?? '').replaceAll('&quot;', '"').replaceAll('&amp;', '&')) as {
        scrollWidth: number; viewport: number; bodyWidth: number; errors: string[];
        charts: { id: string; width: number; height: number; right: number; minFont: number; marks: number }[];
      };
      expect(probe.viewport).toBe(width);
      expect(probe.scrollWidth).toBeLessThanOrEqual(probe.viewport);
      expect(probe.errors).toEqual([]);
      expect(new Set(probe.charts.map((c) => c.id))).toEqual(new Set(buildCharts(report).map((c) => c.id)));
      expect(probe.charts.length).toBe(buildCharts(report).length);
      for (const chart of probe.charts) {
        expect(chart.marks, chart.id).toBeGreaterThan(3);
        expect(chart.height, chart.id).toBeGreaterThan(100);
        expect(chart.minFont, chart.id).toBeGreaterThanOrEqual(11);
        expect(chart.right, chart.id).toBeLessThanOrEqual(width);
        // Full width of the text column (the body's content box).
        expect(chart.width, chart.id).toBeGreaterThan(probe.bodyWidth - 40);
      }
      execFileSync(chromium as string, [...flags(width).slice(0, -1), `--window-size=${width},6000`, `--screenshot=${join(dir, `report-${width}.png`)}`, `file://${join(dir, 'report.html')}`], { timeout: 90_000, stdio: 'ignore' });
      copyFileSync(join(dir, `report-${width}.png`), join(artefacts, `report-${width}.png`));
    });
  }
});
