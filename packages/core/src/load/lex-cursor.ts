import { CST, Lexer } from 'yaml';
import { decline } from './cst-tokens';

/** Lexer tokens with what the Parser tracks of them: offset, where the line starts, the column. */
export class Cursor {
  private readonly lexemes: Generator<string>;
  type: string = '';
  source = '';
  offset = 0;
  /** Where the token's line starts. */
  lineStart = 0;
  /** The token before was a space or a newline (or there was none): a comment may follow. */
  spaced = true;
  /** The current token is a block scalar's body. */
  body = false;
  private next = 0;

  constructor(text: string) {
    this.lexemes = new Lexer().lex(text);
    this.advance();
  }

  /** Whether the current token is of `type` (a method: the type changes as the cursor moves). */
  is(type: string): boolean {
    return this.type === type;
  }

  get col(): number {
    return this.offset - this.lineStart;
  }

  advance(): void {
    const type = this.type;
    if (this.body) {
      // A block scalar's body ends its last line (its source holds the newline): the Parser is at a new line.
      this.body = false;
      this.spaced = true;
      this.lineStart = this.next;
    } else if (type !== '') {
      this.spaced = type === 'space' || type === 'newline';
      if (type === 'newline') this.lineStart = this.next;
    }
    for (;;) {
      const lexeme = this.lexemes.next();
      if (lexeme.done) {
        this.type = 'eof';
        this.source = '';
        this.offset = this.next;
        return;
      }
      let source = lexeme.value;
      let kind: string | null;
      if (source === CST.DOCUMENT) continue;
      if (source === CST.SCALAR) {
        source = this.lexemes.next().value as string;
        kind = 'scalar';
      } else {
        kind = CST.tokenType(source);
        // Tabs (yaml refuses them as indentation by rules that depend on what follows), and
        // whatever this path does not take: BOM, directives, flow-error-end, an unknown token.
        if (kind === 'space' ? source.includes('\t') : kind === null || source === '') decline();
      }
      this.type = kind!;
      this.source = source;
      this.offset = this.next;
      this.next += source.length;
      return;
    }
  }

  /** Spaces, then maybe a comment (after a space), on the current line. */
  skipSpaces(): void {
    while (this.type === 'space') this.advance();
    if (this.type === 'comment') {
      if (!this.spaced) decline();
      this.advance();
    }
  }

  /** The end of a line after a value: spaces, a comment, then a newline or the end. */
  endLine(): void {
    this.skipSpaces();
    if (this.type === 'newline') this.advance();
    else if (this.type !== 'eof') decline();
  }

  /** Past blank and comment lines (and, inside a flow collection, its line breaks), to the next token with content (or the end). */
  nextContent(): void {
    for (;;) {
      this.skipSpaces();
      if (this.type !== 'newline') return;
      this.advance();
    }
  }
}
