// Generates src/sandbox/org/sample-company.ts, the sandbox's default organisation.
// Run once (`node scripts/generate-sample-company.mjs`) and commit the output: the data must not change between
// dingcast versions by accident, because tests, examples and users' sandbox sessions name these people.
import { writeFileSync } from 'node:fs';

let seed = 20260315;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (list) => list[Math.floor(rand() * list.length)];

const SURNAMES = [
  ['zhang', '张'], ['wang', '王'], ['li', '李'], ['zhao', '赵'], ['liu', '刘'], ['chen', '陈'], ['yang', '杨'],
  ['huang', '黄'], ['zhou', '周'], ['wu', '吴'], ['xu', '徐'], ['sun', '孙'], ['ma', '马'], ['zhu', '朱'],
  ['hu', '胡'], ['guo', '郭'], ['he', '何'], ['lin', '林'], ['gao', '高'], ['luo', '罗'], ['zheng', '郑'],
  ['song', '宋'], ['xie', '谢'], ['tang', '唐'], ['han', '韩'], ['feng', '冯'], ['deng', '邓'], ['cao', '曹'],
];
const GIVEN = [
  ['wei', '伟'], ['fang', '芳'], ['na', '娜'], ['min', '敏'], ['jing', '静'], ['li', '丽'], ['qiang', '强'],
  ['lei', '磊'], ['jun', '军'], ['yang', '洋'], ['yong', '勇'], ['yan', '艳'], ['jie', '杰'], ['tao', '涛'],
  ['ming', '明'], ['chao', '超'], ['xia', '霞'], ['ping', '平'], ['gang', '刚'], ['hui', '慧'], ['hao', '浩'],
  ['yu', '宇'], ['xin', '欣'], ['ting', '婷'], ['bo', '博'], ['kai', '凯'], ['lan', '兰'], ['peng', '鹏'],
  ['dan', '丹'], ['rui', '睿'], ['chen', '晨'], ['yi', '怡'], ['zhe', '哲'], ['xuan', '轩'], ['qian', '倩'],
];

// id, name, parent, size (generated members), title of the generated members
const DEPARTMENTS = [
  [10001, '研发部', 1, 6, '工程师'],
  [10011, '平台组', 10001, 32, '后端工程师'],
  [10012, '前端组', 10001, 19, '前端工程师'],
  [10013, '移动端组', 10001, 14, '移动端工程师'],
  [10002, '产品部', 1, 18, '产品经理'],
  [10003, '设计部', 1, 9, '设计师'],
  [20001, '运维部', 1, 5, '运维工程师'],
  [20002, 'SRE 组', 20001, 8, 'SRE'],
  [30001, '市场部', 1, 18, '市场专员'],
  [30002, '销售部', 1, 42, '销售经理'],
  [40001, '人力资源部', 1, 8, 'HRBP'],
  [40002, '财务部', 1, 7, '会计'],
  [40003, '行政部', 1, 6, '行政专员'],
];

// People the repository's examples, tests and docs name: fixed ids, names, departments and mobiles.
const NAMED = {
  10001: [
    { userid: 'zhangsan', name: '张三', mobile: '13800000000', title: '研发总监' },
    { userid: 'lisi', name: '李四', mobile: '13800000001', title: '技术经理' },
  ],
  20002: [{ userid: 'wangwu', name: '王五', mobile: '13800000002', title: 'SRE 负责人' }],
  40002: [{ userid: 'zhaoliu', name: '赵六', mobile: '13800000003', title: '财务主管' }],
  1: [{ userid: 'manager4220', name: '周建国', mobile: '13900004220', title: 'CEO' }],
};

const used = new Set(['zhangsan', 'lisi', 'wangwu', 'zhaoliu', 'manager4220']);
const mobiles = new Set(Object.values(NAMED).flat().map((m) => m.mobile));
const names = new Set(Object.values(NAMED).flat().map((m) => m.name));

function person(title) {
  for (;;) {
    const [sp, sc] = pick(SURNAMES);
    const parts = rand() < 0.45 ? [pick(GIVEN), pick(GIVEN)] : [pick(GIVEN)];
    const name = sc + parts.map((p) => p[1]).join('');
    if (names.has(name)) continue;
    names.add(name);
    // Most orgs keep pinyin ids; some (synced from HR systems) carry DingTalk's numeric staff ids.
    let userid = rand() < 0.08 ? `0${Math.floor(1e12 + rand() * 9e12)}` : sp + parts.map((p) => p[0]).join('');
    for (let n = 2; used.has(userid); n++) userid = `${userid.replace(/\d+$/, '')}${n}`;
    used.add(userid);
    let mobile;
    do mobile = `1${pick(['35', '36', '37', '38', '39', '50', '51', '52', '58', '59', '86', '87', '88'])}${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`;
    while (mobiles.has(mobile));
    mobiles.add(mobile);
    return { userid, name, mobile, title };
  }
}

const departments = [{ id: 1, name: '示例科技有限公司', members: NAMED[1] }];
for (const [id, name, parent_id, size, title] of DEPARTMENTS) {
  const members = [...(NAMED[id] ?? [])];
  while (members.length < size) members.push(person(title));
  departments.push({ id, name, parent_id, members });
}
// Accounts that dingcast's own sandbox tests send to; a real tenant has its test accounts too.
departments.push({
  id: 90001,
  name: '测试账号',
  parent_id: 1,
  members: [
    { userid: 'sandbox-alice', name: '艾丽丝', mobile: '13700000001', title: '测试账号' },
    { userid: 'sandbox-bob', name: '鲍勃', mobile: '13700000002', title: '测试账号' },
    { userid: 'sandbox-carol', name: '卡罗尔', mobile: '13700000003', title: '测试账号' },
  ],
});
// Left staff: their ids are invalid at DingTalk and their mobiles find nobody (the typical "invalid: wang.wu").
const left = [
  { userid: 'wang.wu', name: '王武', mobile: '13800000009', title: '前端工程师' },
  person('销售经理'),
  person('产品经理'),
];

const org = { name: '示例科技有限公司', departments, left };
const lines = [
  '// Generated once by scripts/generate-sample-company.mjs and committed: the sandbox\'s default organisation.',
  '// Tests, examples and the README name these people; regenerate only on purpose.',
  "import type { OrgFile } from './types.js';",
  '',
  'export const SAMPLE_COMPANY: OrgFile = {',
  `  name: ${JSON.stringify(org.name)},`,
  '  departments: [',
  ...departments.flatMap((d) => [
    `    {`,
    `      id: ${d.id},`,
    `      name: ${JSON.stringify(d.name)},`,
    ...(d.parent_id === undefined ? [] : [`      parent_id: ${d.parent_id},`]),
    `      members: [`,
    ...d.members.map((m) => `        ${member(m)},`),
    `      ],`,
    `    },`,
  ]),
  '  ],',
  '  left: [',
  ...left.map((m) => `    ${member(m)},`),
  '  ],',
  '};',
  '',
];
function member(m) {
  return `{ userid: ${JSON.stringify(m.userid)}, name: ${JSON.stringify(m.name)}, mobile: ${JSON.stringify(m.mobile)}, title: ${JSON.stringify(m.title)} }`;
}
writeFileSync(new URL('../src/sandbox/org/sample-company.ts', import.meta.url), lines.join('\n').replaceAll('"', "'"));
const total = departments.reduce((n, d) => n + d.members.length, 0);
console.log(`sample company: ${total} people in ${departments.length} departments, ${left.length} left`);
