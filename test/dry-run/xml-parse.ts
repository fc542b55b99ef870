/** A parsed XML element: enough to check the JUnit report's structure. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITY = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi;

/**
 * A strict parser for the XML subset reports use (prolog, elements, double-quoted attributes, text,
 * the five entities and character references). Throws on anything not well-formed: unbalanced or
 * mismatched tags, a raw `<` or stray `&`, duplicate attributes, text outside the root.
 */
export function parseXml(source: string): XmlElement {
  let at = 0;
  const prolog = /^<\?xml [^?]*\?>\s*/.exec(source);
  if (prolog) at = prolog[0].length;
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  while (at < source.length) {
    const lt = source.indexOf('<', at);
    const text = source.slice(at, lt < 0 ? source.length : lt);
    const top = stack[stack.length - 1] as XmlElement;
    if (text.trim() !== '') {
      if (top === root) throw new Error(`text outside the root element at ${at}`);
      top.text += decode(text, at);
    }
    if (lt < 0) break;
    const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(source.slice(lt));
    if (close) {
      const open = stack.pop();
      if (!open || open === root || open.name !== close[1]) throw new Error(`mismatched </${close[1]}> at ${lt}`);
      at = lt + close[0].length;
      continue;
    }
    const tag = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"<]*")*)\s*(\/?)>/.exec(source.slice(lt));
    if (!tag) throw new Error(`not well-formed at ${lt}: ${JSON.stringify(source.slice(lt, lt + 40))}`);
    const attributes: Record<string, string> = {};
    for (const m of (tag[2] ?? '').matchAll(/([A-Za-z_][\w.:-]*)="([^"]*)"/g)) {
      const key = m[1] as string;
      if (Object.hasOwn(attributes, key)) throw new Error(`duplicate attribute ${key} at ${lt}`);
      attributes[key] = decode(m[2] ?? '', lt);
    }
    const element: XmlElement = { name: tag[1] as string, attributes, children: [], text: '' };
    if (top === root && root.children.length > 0) throw new Error('more than one root element');
    top.children.push(element);
    if (tag[3] !== '/') stack.push(element);
    at = lt + tag[0].length;
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`);
  const [doc] = root.children;
  if (!doc) throw new Error('no root element');
  return doc;
}

function decode(text: string, at: number): string {
  if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(text)) throw new Error(`stray & at ${at}`);
  return text.replace(ENTITY, (_, e: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (named[e] !== undefined) return named[e];
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

/** Every descendant element with this name. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((c) => [...(c.name === name ? [c] : []), ...findAll(c, name)]);
}
