/** What `dingcast init` writes. `{{schema:NAME}}` is replaced by the path from the file to that schema. */

export const TEMPLATE_ID = 'hello';

export const NOTIFICATIONS_YAML = `# yaml-language-server: $schema={{schema:notifications}}
# Who gets what, when. Check with \`dingcast validate\`, preview with \`dingcast render --dry-run\`,
# try it without DingTalk with \`dingcast send --all --sandbox\`.
version: 1
app:
  agent_id: \${DINGTALK_AGENT_ID}   # read from the environment at send time
  kind: internal                   # internal | isv
timezone: Asia/Shanghai
notifications:
  hello-team:
    description: A first notification; copy it to add more
    template: hello@1              # template id, pinned to its version: bump both when the content changes
    to:
      users: [zhangsan]            # DingTalk userids
      # departments: [12345]
    vars:
      team: 平台组
      items: [Set up dingcast, Write the first template]
    # schedule: "0 9 * * 1-5"      # cron (5 fields) in \`timezone\`; \`dingcast send --due\` sends what is due
`;

export const HELLO_TEMPLATE_YAML = `# yaml-language-server: $schema={{schema:template}}
# A message template: the file name (hello) is the template id.
version: 1
description: Team update (markdown)
variables:
  type: object
  additionalProperties: false
  required: [team, items]
  properties:
    team: { type: string, minLength: 1, maxLength: 20 }
    items: { type: array, minItems: 1, maxItems: 8, items: { type: string, minLength: 1, maxLength: 60 } }
examples:
  typical: { team: 平台组, items: [Set up dingcast, Write the first template] }
msg:
  msgtype: markdown
  markdown:
    title: "{{team}} update"
    text: |
      ### {{md team}} update

      {{#each items}}
      - {{md this}}
      {{/each}}

      {{@today}}
`;

/** Lines that keep local state and run reports out of git. */
// .env holds the credentials dingcast reads from the project folder: it must never be committed.
export const GITIGNORE_LINES = ['.dingcast/', '/reports/', '/build/', '.env'];
