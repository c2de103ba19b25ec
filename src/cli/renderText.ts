import pc from 'picocolors';
import { isTemplateSend, templateDataJson, templateSendBody } from '../core/msg/index.js';
import { isOverLimit, type RenderedItem } from '../core/rendered.js';
import type { ProjectConfig } from '../core/project.js';

export function formatRenderedText(item: RenderedItem, limits: ProjectConfig['limits']): string {
  const head = item.kind === 'notification' ? `notification ${pc.bold(item.id)} (template ${item.template})` : `template ${pc.bold(item.template)} example ${item.example ?? ''}`;
  const largest = `largest: ${item.contributors.map((c) => `${c.path} ${c.bytes} B`).join(', ')}`;
  const lines = [pc.cyan(`▸ ${head}`)];
  if (item.limit === null && isTemplateSend(item.msg)) {
    // What sendbytemplate receives: the template id and `data` as one JSON string.
    const { templateId } = templateSendBody(item.msg);
    lines.push(`sendbytemplate: template_id ${templateId} (reviewed in DingTalk's console; its text is not known here)`, `data: ${templateDataJson(item.msg).json}`);
    lines.push(`size: data is ${item.bytes} bytes (DingTalk documents no limit for sendbytemplate); ${largest}`);
  } else {
    const size = item.limit === null ? `${item.bytes} bytes` : `${item.bytes}/${item.limit} bytes (${Math.round((item.bytes / item.limit) * 100)}%)`;
    lines.push(JSON.stringify(item.msg, null, 2), `size: ${isOverLimit(item) ? pc.red(size + ' — over the limit: DingTalk drops it') : size}; ${largest}`);
  }
  lines.push(`sha256: ${item.sha256}`);
  const m = item.media;
  if (m) {
    lines.push(
      m.file !== undefined
        ? `${m.type}: local file ${m.file} (${m.bytes ?? 0} bytes${m.format ? `, ${m.format}` : ''}, sha256 ${(m.sha256 ?? '').slice(0, 12)}) — send uploads it with media/upload and puts the id in media_id`
        : pc.red(`${m.type}: ${m.ref} cannot be sent${m.problem ? ` (${m.problem})` : ''} — see \`dingcast validate\``),
    );
  }
  if (item.recipients) {
    const r = item.recipients;
    const who = r.all ? ['everyone in the organisation (to_all_user)'] : [];
    if (r.users.length > 0) who.push(`${r.users.length} user(s): ${r.users.join(', ')}`);
    if (r.departments.length > 0) who.push(`${r.departments.length} department(s): ${r.departments.join(', ')}`);
    lines.push(`to: ${who.join('; ')}`);
    lines.push(`calls: ${item.calls.length} ${item.api} call(s) (≤${limits.useridsPerCall} users, ≤${limits.deptIdsPerCall} departments per call)`);
  }
  return lines.join('\n') + '\n';
}
