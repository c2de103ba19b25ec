import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newAjv } from '../../src/core/validate/ajv.js';
import { loadSchema } from '../helpers/schemaFile.js';
import { UserError } from '../../src/errors.js';
import { readReport, writeReport } from '../../src/io/reports/index.js';
import { sampleReport } from './_report.js';
import { findAll, parseXml } from './_xml.js';

let project: string;
beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'dingcast-reports-'));
});
afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('writeReport', () => {
  it('writes report.json, report.md, junit.xml, report.html and points latest at the run', async () => {
    const report = sampleReport();
    const { dir, files } = await writeReport(project, report);
    expect(dir).toBe(join(project, 'reports', report.run_id));
    expect(files).toEqual(['report.json', 'report.md', 'junit.xml', 'report.html'].map((f) => join(dir, f)));
    expect((await readdir(dir)).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.md']);
    expect(await readFile(join(project, 'reports', 'latest'), 'utf8')).toBe(`${report.run_id}\n`);

    const json: unknown = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    const validate = newAjv(true).compile(loadSchema('report'));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);

    const md = await readFile(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('| 5 | 11 | 2 | 1 | 2 | 2 | 1 | 2 | 1 |');
    expect(md).toContain('143106: same content already sent today');

    const junit = parseXml(await readFile(join(dir, 'junit.xml'), 'utf8'));
    expect(findAll(junit, 'failure')).toHaveLength(4);
  });

  it('round-trips through readReport, by latest and by id', async () => {
    const report = sampleReport();
    await writeReport(project, report);
    expect(await readReport(project)).toEqual(report);
    expect(await readReport(project, report.run_id)).toEqual(report);
  });

  it('drops an undefined agent id and still reads the report back', async () => {
    const report = { ...sampleReport(), agent_id: undefined };
    await writeReport(project, report);
    const back = await readReport(project);
    expect('agent_id' in back).toBe(false);
  });

  it('moves latest to the newer run and keeps the older one readable', async () => {
    const first = sampleReport();
    const second = { ...sampleReport(), run_id: '20261127T000000Z-000001' };
    await writeReport(project, first);
    await writeReport(project, second);
    expect((await readReport(project)).run_id).toBe(second.run_id);
    expect((await readReport(project, first.run_id)).run_id).toBe(first.run_id);
  });

  // The guard looks for the run's actual secret values, passed in from the edge, not for words (issue #10 item 5).
  const SECRET = 'sandbox-app-secret-value';
  const TOKEN = 'tok-9f8e7d6c5b4a';
  it.each([
    ['the app secret in an errmsg', (r: ReturnType<typeof sampleReport>) => {
      r.notifications[1]!.calls[0]!.error!.errmsg = `GET https://oapi.dingtalk.com/gettoken?appsecret=${SECRET} failed`;
    }],
    ['the access token in the endpoint', (r: ReturnType<typeof sampleReport>) => {
      r.endpoint = `https://oapi.dingtalk.com/topapi/x?access_token=${TOKEN}`;
    }],
    ['a secret in a userid key', (r: ReturnType<typeof sampleReport>) => {
      r.notifications[0]!.recipients[`u-${TOKEN}`] = 'read';
    }],
  ])('refuses %s and writes nothing', async (_, mutate) => {
    const r = sampleReport();
    mutate(r);
    await expect(writeReport(project, r, [SECRET, TOKEN])).rejects.toThrow(/refusing to write a credential .* at \//);
    await expect(readdir(join(project, 'reports'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('does not echo the secret in its error', async () => {
    const r = sampleReport();
    r.notifications[1]!.calls[0]!.error!.errmsg = `x?access_token=${TOKEN}`;
    await expect(writeReport(project, r, [TOKEN])).rejects.not.toThrow(new RegExp(TOKEN));
  });

  it('writes a report whose server errmsg merely mentions access_token=', async () => {
    const r = sampleReport();
    r.notifications[1]!.calls[0]!.error!.errmsg = '不合法的access_token (access_token=invalid)';
    await writeReport(project, r, [SECRET, TOKEN]);
    expect((await readReport(project, r.run_id)).notifications[1]!.calls[0]!.error!.errmsg).toContain('access_token=');
  });

  it('refuses a report that does not match the schema (a bug), naming the field', async () => {
    const r = sampleReport();
    r.notifications[0]!.recipients.zhangsan = 'delivered' as 'read';
    await expect(writeReport(project, r)).rejects.toThrow(/\/notifications\/0\/recipients\/zhangsan must be equal to one of the allowed values/);
    await expect(readdir(join(project, 'reports'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('readReport', () => {
  it.each<[string, () => Promise<void>, string | undefined, RegExp]>([
    ['no reports at all', async () => {}, undefined, /No run reports in .*reports/],
    ['an empty latest file', () => mkdir(join(project, 'reports')).then(() => writeFile(join(project, 'reports', 'latest'), '\n')), undefined, /No run reports/],
    ['an unknown run id', async () => void (await writeReport(project, sampleReport())), '20200101T000000Z-ffffff', /No report for run 20200101T000000Z-ffffff/],
    ['something that is not a run id', async () => {}, '../../etc', /"..\/..\/etc" is not a run id/],
    ['a broken report.json', async () => {
      const dir = join(project, 'reports', '20261126T010203Z-abc123');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'report.json'), '{"format":');
    }, '20261126T010203Z-abc123', /is not valid JSON/],
    ['a report of another format', async () => {
      const dir = join(project, 'reports', '20261126T010203Z-abc123');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'report.json'), JSON.stringify({ ...sampleReport(), format: 'dingcast.report/v9' }));
    }, '20261126T010203Z-abc123', /is not a dingcast.report\/v1 report: \/format/],
  ])('gives a UserError for %s', async (_, setup, runId, message) => {
    await setup();
    const err: unknown = await readReport(project, runId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(message);
  });

  it('lists the known runs when the id is unknown', async () => {
    await writeReport(project, sampleReport());
    const err: unknown = await readReport(project, '20200101T000000Z-ffffff').catch((e: unknown) => e);
    expect((err as UserError).hint).toContain('20261126T010203Z-abc123');
  });
});
