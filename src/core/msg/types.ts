/** TypeScript view of schema/msg.schema.json (the schema is the source of truth; keep the two in step). */
export const MSGTYPES = ['text', 'image', 'voice', 'file', 'link', 'markdown', 'oa', 'action_card'] as const;
export type MsgType = (typeof MSGTYPES)[number];

export interface TextMsg { msgtype: 'text'; text: { content: string } }
export interface ImageMsg { msgtype: 'image'; image: { media_id: string } }
/** `duration` is a string holding whole seconds 1..59. */
export interface VoiceMsg { msgtype: 'voice'; voice: { media_id: string; duration: string } }
export interface FileMsg { msgtype: 'file'; file: { media_id: string } }
/** link is the one camelCase msgtype. */
export interface LinkMsg { msgtype: 'link'; link: { messageUrl: string; picUrl: string; title: string; text: string } }
export interface MarkdownMsg { msgtype: 'markdown'; markdown: { title: string; text: string } }

export interface OaBody {
  title?: string;
  form?: { key?: string; value?: string }[];
  rich?: { num?: string; unit?: string };
  content?: string;
  image?: string;
  file_count?: string;
  author?: string;
}
export interface OaMsg {
  msgtype: 'oa';
  oa: {
    message_url: string;
    pc_message_url?: string;
    head: { bgcolor: string; text: string };
    status_bar?: { status_value?: string; status_bg?: string };
    body: OaBody;
  };
}

export interface ActionCardButton { title: string; action_url: string }
export interface ActionCardMsg {
  msgtype: 'action_card';
  action_card: {
    title?: string;
    markdown: string;
    single_title?: string;
    single_url?: string;
    btn_orientation?: '0' | '1';
    btn_json_list?: ActionCardButton[];
  };
}

export type Msg = TextMsg | ImageMsg | VoiceMsg | FileMsg | LinkMsg | MarkdownMsg | OaMsg | ActionCardMsg;

export function isMsgType(value: unknown): value is MsgType {
  return typeof value === 'string' && (MSGTYPES as readonly string[]).includes(value);
}
