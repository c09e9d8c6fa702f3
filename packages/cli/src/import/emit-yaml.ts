import { Document, isMap, isScalar, isSeq, Scalar, visit } from 'yaml';
import type { Doc } from './model';

/** Collections this short (as flow text) read best on one line: `[go.mod, go.sum]`, `{ PORT: "8080" }`. */
const FLOW_LIMIT = 72;

/** The document as a platform engineer would write it: block style for structure, flow style for short lists and maps. */
export function emitYaml(doc: Doc, comment?: string): string {
  const document = new Document(doc);
  visit(document, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && node.value.includes('\n')) node.type = Scalar.BLOCK_LITERAL;
    },
  });
  visit(document, {
    Map(_, node) {
      if (isShort(node)) node.flow = true;
    },
    Seq(_, node) {
      if (isShort(node)) node.flow = true;
    },
  });
  // Editors validate against the schema the stagec package ships (DESIGN 6: one schema).
  if (comment) document.commentBefore = ` yaml-language-server: $schema=./node_modules/stagec/schemas/stages.schema.json\n${comment}`;
  return document.toString({ lineWidth: 0, flowCollectionPadding: true });
}

function isShort(node: unknown): boolean {
  if (!isMap(node) && !isSeq(node)) return false;
  const items = node.items as unknown[];
  if (items.length === 0) return true;
  const leafs = items.every((item) => {
    const value = isMap(node) ? (item as { value: unknown }).value : item;
    if (isScalar(value)) return !(typeof value.value === 'string' && value.value.includes('\n'));
    return (isMap(value) || isSeq(value)) && (value.items as unknown[]).length <= 2 && isShort(value);
  });
  return leafs && JSON.stringify(node.toJSON()).length <= FLOW_LIMIT;
}
