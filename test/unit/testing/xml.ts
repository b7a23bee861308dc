/**
 * A strict XML 1.0 well-formedness check for the JUnit reporter's tests (no XML parser is a
 * dependency): one root element, matching tags, quoted unique attributes, known entities only,
 * no characters XML forbids. Returns the elements as a tree.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = "[A-Za-z_][A-Za-z0-9_.:-]*";
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

function decode(s: string, where: string): string {
  return s.replace(/&([^;]*);/g, (_, e: string) => {
    const known: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    if (e in known) return known[e] as string;
    if (/^#\d+$/.test(e)) return String.fromCodePoint(Number(e.slice(1)));
    if (/^#x[0-9a-f]+$/i.test(e)) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    throw new Error(`unknown entity &${e}; in ${where}`);
  });
}

export function parseXml(xml: string): XmlElement {
  if (FORBIDDEN.test(xml)) throw new Error("a character XML 1.0 forbids");
  let rest = xml.replace(/^<\?xml[^?]*\?>\s*/, "");
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const tag = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"<]*")*)\\s*(/?)>`);
  const attr = new RegExp(`(${NAME})\\s*=\\s*"([^"<]*)"`, "g");
  while (rest.length > 0) {
    const lt = rest.indexOf("<");
    const text = lt < 0 ? rest : rest.slice(0, lt);
    if (text.length > 0) {
      if (text.includes(">") && /[^\s]/.test(text) && text.includes("]]>")) throw new Error("]]> in text");
      const top = stack[stack.length - 1];
      if (top === undefined) {
        if (text.trim() !== "") throw new Error(`text outside the root: ${text.slice(0, 20)}`);
      } else top.text += decode(text, top.name);
      rest = rest.slice(text.length);
      continue;
    }
    const m = tag.exec(rest);
    if (!m) throw new Error(`malformed markup at: ${rest.slice(0, 40)}`);
    const [whole, close, name, attrText, selfClose] = m as unknown as [
      string,
      string,
      string,
      string,
      string,
    ];
    if (close === "/") {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
    } else {
      const attrs: Record<string, string> = {};
      for (const a of attrText.matchAll(attr)) {
        const key = a[1] as string;
        if (key in attrs) throw new Error(`duplicate attribute ${key}`);
        attrs[key] = decode(a[2] as string, name);
      }
      const el: XmlElement = { name, attrs, children: [], text: "" };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else if (root) throw new Error("a second root element");
      else root = el;
      if (selfClose !== "/") stack.push(el);
    }
    rest = rest.slice(whole.length);
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]?.name}> is never closed`);
  if (!root) throw new Error("no root element");
  return root;
}
