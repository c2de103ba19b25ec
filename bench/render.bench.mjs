// Render throughput: a markdown template with 10 variables, including the byte-size check and a sha256 of the msg
// (target ≥ 100,000 msgs/s), and its ratio to JSON.stringify alone of the same msg (target ≤ 4×).
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
function rate(fn, ms = 1500) {
  for (let i = 0; i < 20000; i++) fn(i);
  let n = 0;
  const end = performance.now() + ms;
  const t0 = performance.now();
  while (performance.now() < end) for (let k = 0; k < 1000; k++) fn(n++);
  return n / ((performance.now() - t0) / 1000);
}
const full = rate(renderChecked);
const plain = rate(stringifyOnly);
console.log(`render: ${Math.round(full).toLocaleString('en')} msgs/s with size check + sha256 (target ≥ 100,000); JSON.stringify alone ${Math.round(plain).toLocaleString('en')}/s → ${(plain / full).toFixed(2)}× (target ≤ 4×)`);
