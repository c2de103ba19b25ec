import type { Msg, MsgType } from '../../src/core/msg/index.js';

/** One minimal valid msg per msgtype. */
export const VALID: { [K in MsgType]: Extract<Msg, { msgtype: K }> } = {
  text: { msgtype: 'text', text: { content: '值班交接：一切正常' } },
  image: { msgtype: 'image', image: { media_id: '@lADOdvRYes0CbM0CbA' } },
  voice: { msgtype: 'voice', voice: { media_id: '@lADOdvRYes0CbM0CbA', duration: '10' } },
  file: { msgtype: 'file', file: { media_id: '@lADOdvRYes0CbM0CbA' } },
  link: { msgtype: 'link', link: { messageUrl: 'https://example.com', picUrl: '@lADOdvRYes0CbM0CbA', title: '标题', text: '正文' } },
  markdown: { msgtype: 'markdown', markdown: { title: '日报', text: '### 今日完成\n- 发布 v1.4.0' } },
  oa: {
    msgtype: 'oa',
    oa: {
      message_url: 'https://oa.example.com/1',
      pc_message_url: 'https://oa.example.com/1?pc=1',
      head: { bgcolor: 'FFBBBBBB', text: '审批' },
      status_bar: { status_value: '已同意', status_bg: '0xFF78C06E' },
      body: {
        title: '报销申请',
        form: [{ key: '申请人：', value: '张三' }, { key: '金额：', value: '100' }],
        rich: { num: '15.6', unit: '元' },
        content: '说明',
        image: '@lADOdvRYes0CbM0CbA',
        file_count: '3',
        author: '审批助手',
      },
    },
  },
  action_card: {
    msgtype: 'action_card',
    action_card: { title: '告警', markdown: '### 支付超时', single_title: '查看详情', single_url: 'https://example.com' },
  },
};

/** The same action_card in button style. */
export const BUTTON_CARD: Msg = {
  msgtype: 'action_card',
  action_card: {
    title: '告警',
    markdown: '### 支付超时',
    btn_orientation: '1',
    btn_json_list: [{ title: '查看大盘', action_url: 'https://example.com/d' }, { title: '认领', action_url: 'https://example.com/ack' }],
  },
};

/** A deep copy of `msg` with the value at `path` replaced (or deleted when value is undefined). */
export function withValue(msg: unknown, path: (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(msg) as Record<string, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** A deep copy of `msg` with key `from` renamed to `to` inside the object at `path`. */
export function withRenamedKey(msg: unknown, path: string[], from: string, to: string): Record<string, unknown> {
  const copy = structuredClone(msg) as Record<string, unknown>;
  let node = copy;
  for (const step of path) node = node[step] as Record<string, unknown>;
  node[to] = node[from];
  delete node[from];
  return copy;
}
