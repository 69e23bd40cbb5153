// What every streaming XML reader shares: saxes fed chunk by chunk, a byte-order mark dropped, an empty
// file, a DOCTYPE (refused: no entity can expand) and XML that is not well-formed each turned into the
// reader's own refusal of the whole file. Subclasses handle the elements.
import { SaxesParser } from 'saxes';
import { FileRejected } from './errors.ts';

export abstract class XmlStreamReader {
  protected readonly parser = new SaxesParser({ position: true });
  private sawContent = false;

  constructor() {
    const p = this.parser;
    p.on('doctype', (doctype) => {
      throw this.refuseDoctype(p.line - (doctype.match(/\n/g)?.length ?? 0));
    });
    p.on('opentagstart', (tag) => this.open(tag.name));
    p.on('text', (t) => this.text(t));
    p.on('cdata', (t) => this.text(t));
    p.on('closetag', () => this.close());
  }

  write(chunk: string): void {
    if (!this.sawContent) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      if (/\S/.test(chunk)) this.sawContent = true;
    }
    this.guard(() => this.parser.write(chunk));
  }

  end(): void {
    if (!this.sawContent) throw this.refuseEmpty();
    this.guard(() => this.parser.close());
  }

  /** saxes throws on XML that is not well-formed: that refuses the file, with saxes' line and column. */
  private guard(f: () => void): void {
    try {
      f();
    } catch (err) {
      if (err instanceof FileRejected) throw err;
      const reason = (err as Error).message.replace(/^\d+:\d+:\s*/, '');
      throw this.refuseMalformed(this.parser.line, `column ${this.parser.column + 1}: ${reason}`);
    }
  }

  protected abstract open(name: string): void;
  protected abstract text(text: string): void;
  protected abstract close(): void;
  protected abstract refuseDoctype(line: number): FileRejected;
  protected abstract refuseEmpty(): FileRejected;
  protected abstract refuseMalformed(line: number, detail: string): FileRejected;
}
