import { AppError } from '../errors.js';

/** An element of an export that stands for one thing (a post, a comment), with the text of what it holds. */
export interface XmlRecord {
  name: string;
  /** Text of each element inside, by its path from the record ("author/name"), attributes as "thread@dsq:id". */
  fields: Map<string, string>;
  /** Where the record starts in the file (1-based). */
  line: number;
  column: number;
  /** Records in file order; `within` is the record this one sits in (a WXR comment in its post). */
  seq: number;
  within: number | null;
}

interface Frame {
  name: string;
  text: string;
  record: XmlRecord | null;
}

/** A file that is not well-formed XML: the parser's message, with its line and column. */
export const malformed = (file: string, line: number, column: number, message: string) =>
  new AppError(400, 'import_malformed', `${file}, line ${line}, column ${column}: ${message}. Nothing was imported.`, { line, column });

/**
 * Reads an XML export as a stream (saxes), handing each record to `onRecord` when it closes: memory holds the
 * records still open, never the document. `isRecord` says which elements are records, from the names of
 * the elements they sit in (outermost first, the element itself last).
 */
export async function readXmlRecords(
  file: string,
  chunks: AsyncIterable<string>,
  isRecord: (path: readonly string[]) => boolean,
  onRecord: (r: XmlRecord) => void,
): Promise<void> {
  // saxes (~8 MB of RSS with its XML name tables) loads with the first XML import, not at start.
  const { SaxesParser } = await import('saxes');
  const parser = new SaxesParser({ position: true });
  const stack: Frame[] = [];
  const names: string[] = [];
  const records: XmlRecord[] = [];
  let seq = 0;
  let failure: AppError | undefined;
  parser.on('error', (e) => {
    // saxes puts "line:column: " before its message; ours names the file and says it in words.
    const m = /^(?:.*?:)?(\d+):(\d+): (.*)$/s.exec(e.message);
    failure ??= m ? malformed(file, Number(m[1]), Number(m[2]), m[3]!.replace(/\.$/, "")) : malformed(file, parser.line, parser.column, e.message);
  });
  const relative = (from: XmlRecord) => names.slice(names.length - (stack.length - stack.findLastIndex((f) => f.record === from)) + 1).join('/');
  parser.on('opentag', (tag) => {
    names.push(tag.name);
    let record: XmlRecord | null = null;
    if (isRecord(names)) {
      record = { name: tag.name, fields: new Map(), line: parser.line, column: parser.column, seq: seq++, within: records.at(-1)?.seq ?? null };
      records.push(record);
      for (const [k, v] of Object.entries(tag.attributes)) if (typeof v === 'string') record.fields.set(`@${k}`, v);
    }
    stack.push({ name: tag.name, text: '', record });
    const owner = records.at(-1);
    if (owner && !record) {
      const at = relative(owner);
      for (const [k, v] of Object.entries(tag.attributes)) if (typeof v === 'string') owner.fields.set(`${at}@${k}`, v);
    }
  });
  const addText = (t: string) => {
    const top = stack.at(-1);
    if (top) top.text += t;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    const frame = stack.at(-1)!;
    const owner = records.at(-1);
    if (frame.record) {
      records.pop();
      onRecord(frame.record);
    } else if (owner) {
      const at = relative(owner);
      if (!owner.fields.has(at)) owner.fields.set(at, frame.text);
    }
    stack.pop();
    names.pop();
  });
  let first = true;
  for await (let chunk of chunks) {
    if (first && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    first = false;
    parser.write(chunk);
    if (failure) throw failure;
  }
  parser.close();
  if (failure) throw failure;
}
