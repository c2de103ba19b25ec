/**
 * A strict little XML reader for the tests: enough of XML 1.0 to prove junit.xml is well-formed (one root,
 * balanced tags, quoted unique attributes, no raw `<` or bare `&` in text or values) and to read it back
 * with entities decoded. Anything else throws.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = '[A-Za-z_][\\w.-]*';
const ENTITY = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
const TOKEN = /<\?xml[^?]*\?>|<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>|<|[^<]+/gy;

export function parseXml(xml: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < xml.length && (m = TOKEN.exec(xml))) {
    const tok = m[0];
    if (tok.startsWith('<?xml')) {
      if (m.index !== 0) throw new Error('XML declaration not at the start');
    } else if (tok === '<') {
      throw new Error(`malformed tag at ${m.index}: ${xml.slice(m.index, m.index + 40)}`);
    } else if (m[2]) {
      const [, close, name, attrText = '', selfClose] = m;
      if (close) {
        const open = stack.pop();
        if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}>`);
      } else {
        if (!stack.length && root) throw new Error('more than one root element');
        const el: XmlElement = { name, attrs: readAttrs(attrText), children: [], text: '' };
        const parent = stack.at(-1);
        if (parent) parent.children.push(el);
        else root = el;
        if (!selfClose) stack.push(el);
      }
    } else {
      const parent = stack.at(-1);
      if (!parent) {
        if (tok.trim()) throw new Error(`text outside the root: ${tok.slice(0, 40)}`);
      } else parent.text += decode(tok);
    }
  }
  if (stack.length) throw new Error(`unclosed <${stack.map((e) => e.name).join('> <')}>`);
  if (!root) throw new Error('no root element');
  return root;
}

export function findAll(el: XmlElement, name: string): XmlElement[] {
  return el.children.flatMap((c) => [...(c.name === name ? [c] : []), ...findAll(c, name)]);
}

function readAttrs(text: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const [, k = '', v = ''] of text.matchAll(new RegExp(`(${NAME})="([^"]*)"`, 'g'))) {
    if (k in attrs) throw new Error(`duplicate attribute ${k}`);
    attrs[k] = decode(v);
  }
  return attrs;
}

function decode(text: string): string {
  if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text)) throw new Error(`bare & in ${text.slice(0, 60)}`);
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(ENTITY, (_, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : (named[e] ?? ''),
  );
}
