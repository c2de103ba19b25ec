// Render throughput: a markdown template with 10 variables, including the byte-size check and a sha256 of the msg
// (≥ 100,000 msgs/s on a quiet machine, printed), and its ratio to JSON.stringify alone of the same msg, measured in
// alternating slices of the same run (target ≤ 4×; printed, not enforced: under load the anchor's own JIT and GC move
// the ratio by ±1×, and the size check + sha256 alone are already ~1.9× JSON.stringify).
import { hash } from 'node:crypto';
import { compileMsg } from '../dist/core/render/index.js';
import { MSG_BYTE_LIMIT } from '../dist/core/msg/index.js';

const template = {
  msgtype: 'markdown',
  markdown: {
    title: '{{team}} 日报 {{day}}',
    text: '### {{team}} 日报 · {{day}}\n\n**汇报人：** {{author}}\n\n**完成：** {{done}}\n\n**计划：** {{plan}}\n\n**风险：** {{risk}}\n\n发布 {{release}}，缺陷 {{bugs}} 个，工时 {{hours}} 小时，[详情]({{url}})',
  },
};
const vars = { team: '平台组', day: '2026-11-26', author: '张三', done: '完成灰度发布', plan: '全量发布', risk: '无', release: 'v2.3.0', bugs: 3, hours: 7.5, url: 'https://example.com/r/1' };
const ctx = { now: new Date('2026-11-26T01:00:00Z'), timezone: 'Asia/Shanghai', notification: 'bench' };
const compiled = compileMsg(template);
if ('errors' in compiled) throw new Error(JSON.stringify(compiled.errors));

function renderChecked(i) {
  vars.bugs = i; // vary the content so nothing is cached between iterations
  const r = compiled.render(vars, ctx);
  if (!r.ok) throw new Error('render failed');
  const json = JSON.stringify(r.msg);
  if (Buffer.byteLength(json, 'utf8') > MSG_BYTE_LIMIT) throw new Error('too large');
  return hash('sha256', json, 'hex');
}
const sample = compiled.render(vars, ctx).msg;
function stringifyOnly(i) {
  sample.markdown.title = String(i);
  return JSON.stringify(sample);
}
function rate(fn, ms = 300) {
  let n = 0;
  const end = performance.now() + ms;
  const t0 = performance.now();
  while (performance.now() < end) for (let k = 0; k < 1000; k++) fn(n++);
  return n / ((performance.now() - t0) / 1000);
}
// Warm both, then alternate slices of each; the ratio is the median of the slices' ratios, so a neighbour's burst
// (or a GC pause) in one slice does not decide it.
for (let i = 0; i < 20000; i++) (renderChecked(i), stringifyOnly(i));
const slices = [];
for (let round = 0; round < 9; round++) slices.push({ full: rate(renderChecked), plain: rate(stringifyOnly) });
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const full = median(slices.map((x) => x.full));
const plain = median(slices.map((x) => x.plain));
const ratio = median(slices.map((x) => x.plain / x.full));
console.log(`render: ${Math.round(full).toLocaleString('en')} msgs/s with size check + sha256 (≥ 100,000 on a quiet machine; printed, not checked); JSON.stringify alone ${Math.round(plain).toLocaleString('en')}/s → ${ratio.toFixed(2)}× (target ≤ 4×${ratio > 4 ? ', MISSED' : ''})`);
