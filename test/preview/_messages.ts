// One message of every msgtype, mixing Chinese and English, shared by the unit and browser tests.
export const SAMPLE_MESSAGES = {
  text: { msgtype: 'text', text: { content: '月度报表已生成\nMonthly report is ready.' } },
  image: { msgtype: 'image', image: { media_id: '@lADOimage001' } },
  voice: { msgtype: 'voice', voice: { media_id: '@lADOvoice001', duration: '10' } },
  file: { msgtype: 'file', file: { media_id: '@lADOfile001' } },
  link: {
    msgtype: 'link',
    link: {
      messageUrl: 'https://example.com/report?id=1&lang=zh',
      picUrl: '@lADOpic001',
      title: '季度总结 Q3 summary',
      text: '点击查看第三季度的销售总结。Click to read the Q3 sales summary.',
    },
  },
  oa: {
    msgtype: 'oa',
    oa: {
      message_url: 'dingtalk://dingtalkclient/page/link?url=https%3A%2F%2Fexample.com&pc_slide=true',
      head: { bgcolor: 'FFBBBBBB', text: '头部' },
      status_bar: { status_value: '进行中', status_bg: '0xFFF65E5E' },
      body: {
        title: '请假申请 Leave request',
        form: [
          { key: '姓名:', value: '张三' },
          { key: '部门:', value: '研发部 R&D' },
          { key: '类型:', value: '年假' },
          { key: '开始:', value: '2026-12-01' },
          { key: '结束:', value: '2026-12-03' },
          { key: '天数:', value: '3' },
          { key: '审批人:', value: '李四' },
          { key: '抄送:', value: '王五' },
        ],
        rich: { num: '15.6', unit: '元' },
        content: '第一行说明\n第二行说明\n第三行说明\n第四行不会显示 (4th line is clamped)',
        image: '@lADOoaimage',
        file_count: '3',
        author: '张三 Zhang San',
      },
    },
  },
  markdown: {
    msgtype: 'markdown',
    markdown: {
      title: '发布通知 Release',
      text: '# 版本 1.2 发布\n> 请及时升级\n\n**重要** *important*\n- 修复 bug\n- New feature\n\n[查看详情](https://example.com/changelog)',
    },
  },
  action_card: {
    msgtype: 'action_card',
    action_card: {
      title: '审批提醒 Approval',
      markdown: '### 待审批 2 条\n请尽快处理。',
      btn_orientation: '1',
      btn_json_list: [
        { title: '同意 Approve', action_url: 'https://example.com/approve' },
        { title: '拒绝 Reject', action_url: 'https://example.com/reject' },
      ],
    },
  },
} as const;
